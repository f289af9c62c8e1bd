export { loadConfig, ConfigError } from './config';
export type { TrackerConfig } from './config';
