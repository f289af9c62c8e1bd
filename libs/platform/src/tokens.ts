/** Injection tokens of what both apps share: the parsed config, the database and the log. */
export const TRACKER_CONFIG = Symbol('TRACKER_CONFIG');
export const DATABASE = Symbol('DATABASE');
export const EVENT_LOG = Symbol('EVENT_LOG');
