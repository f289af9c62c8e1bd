export { loadConfig, ConfigError } from './config';
export type { TrackerConfig } from './config';
export { repositoryRoot } from './repository-root';
