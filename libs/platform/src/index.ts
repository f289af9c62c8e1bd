export { PlatformModule } from './platform.module';
export { TRACKER_CONFIG, DATABASE, EVENT_LOG } from './tokens';
