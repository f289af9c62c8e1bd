export { ApiModule } from './api.module';
export { configureHttp } from './configure-http';
export { Authenticator } from './access/authenticator';
