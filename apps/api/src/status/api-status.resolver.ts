import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { LiveService } from '../live/live.service';
import { ApiStatus } from './api-status.model';

const NS_PER_MS = 1e6;

@Resolver(() => ApiStatus)
export class ApiStatusResolver {
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private since = Date.now();

  constructor(private readonly live: LiveService) {
    this.delay.enable();
  }

  @Query(() => ApiStatus, {
    description:
      'The answering API process: memory, event-loop delay and live subscriptions (what benchmarks and operators watch). Behind a load balancer, each call may reach another process: see pid.',
  })
  apiStatus(
    @Args('resetEventLoopDelay', {
      defaultValue: false,
      description: 'Start a new window for the event-loop delay after answering.',
    })
    resetEventLoopDelay: boolean,
  ): ApiStatus {
    const memory = process.memoryUsage();
    const status: ApiStatus = {
      pid: process.pid,
      uptimeSeconds: process.uptime(),
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      eventLoopDelay: {
        p50: this.delay.percentile(50) / NS_PER_MS,
        p99: this.delay.percentile(99) / NS_PER_MS,
        max: this.delay.max / NS_PER_MS,
        windowSeconds: (Date.now() - this.since) / 1000,
      },
      liveStreams: this.live.streams,
      sharedExecutions: this.live.shared.executions,
      journalPosition: String(this.live.journalPosition),
    };
    if (resetEventLoopDelay) {
      this.delay.reset();
      this.since = Date.now();
    }
    return status;
  }
}
