import { Module } from '@nestjs/common';
import { Authenticator } from './authenticator';
import { IngestRateLimiter } from './ingest-rate-limiter';

/** Who is calling (API keys) and how much they may send. */
@Module({
  providers: [Authenticator, IngestRateLimiter],
  exports: [Authenticator, IngestRateLimiter],
})
export class AccessModule {}
