import {
  BadGatewayException,
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  Headers,
  HttpCode,
  HttpException,
  HttpStatus,
  PayloadTooLargeException,
  Post,
  Req,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import { LogRefusedError, LogUnavailableError } from '@tracker/log';
import { requestCaller, type AuthenticatedRequest } from '../access/http-authentication';
import { IngestRateLimited } from '../access/ingest-rate-limiter';
import { IngestService, type IngestResult } from './ingest.service';
import { EventBodyError, parseEventBody } from './parse-event-body';

/** Bulk HTTP ingest for workers: JSON array or NDJSON in, a per-event answer out. */
@Controller('v1/events')
export class EventsController {
  constructor(private readonly ingest: IngestService) {}

  @Post()
  @HttpCode(200)
  async post(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: { setHeader(name: string, value: string): unknown },
  ): Promise<IngestResult> {
    const caller = requestCaller(request);
    const refused = caller.lacks('ingest', 'POST /v1/events');
    if (refused) throw new ForbiddenException(refused);
    let events: unknown[];
    try {
      events = parseEventBody(body, contentType);
    } catch (error) {
      if (error instanceof EventBodyError) throw new BadRequestException(error.message);
      throw error;
    }
    if (events.length > this.ingest.maxEvents) {
      throw new PayloadTooLargeException(
        `${events.length} events in one request; the limit (INGEST_MAX_EVENTS) is ${this.ingest.maxEvents}: split the batch`,
      );
    }
    try {
      return await this.ingest.record(events, caller);
    } catch (error) {
      if (error instanceof IngestRateLimited) {
        response.setHeader('Retry-After', String(error.retryAfterSeconds));
        throw new HttpException(error.message, HttpStatus.TOO_MANY_REQUESTS);
      }
      if (error instanceof LogUnavailableError) {
        throw new ServiceUnavailableException(
          `events not accepted, the log is unavailable: ${error.message}`,
        );
      }
      // Kafka refused the records (e.g. INVALID_RECORD, MESSAGE_TOO_LARGE): nothing was stored.
      // Without this the answer was a bare 500 "Internal server error". 502, not 503: the log
      // answered, and sending the same events again will not help until it is reconfigured.
      if (error instanceof LogRefusedError) {
        throw new BadGatewayException(
          `events not accepted, the log refused them: ${error.message}`,
        );
      }
      throw error;
    }
  }
}
