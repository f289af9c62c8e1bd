import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A delivery: when it arrived and how long after its event was made (the event's time). */
export interface Delivery {
  readonly at: number;
  readonly ms: number;
}

/**
 * One browser-like subscriber of `rewardAssigned` for one run, on its own connection. When its
 * subscription ends (an error, SUBSCRIBER_TOO_SLOW, a dropped socket) it subscribes again after
 * the last position it received: nothing may be missed or repeated across the gap.
 */
export class RewardSubscriber {
  readonly seen = new Set<string>();
  doubled = 0;
  resubscribed = 0;
  readonly errors: string[] = [];
  private lastPosition: string | null = null;
  private client: Client;
  private unsubscribe: (() => void) | undefined;
  private disposed = false;

  constructor(
    private readonly url: string,
    readonly rlRunId: string,
    private readonly onDelivery: (delivery: Delivery) => void,
  ) {
    this.client = this.connect();
    this.subscribe();
  }

  dispose(): Promise<void> {
    this.disposed = true;
    this.unsubscribe?.();
    return Promise.resolve(this.client.dispose()).catch(() => undefined);
  }

  // No automatic retry: graphql-ws would subscribe again with the first variables and so
  // repeat what was delivered; the subscriber resumes after its last position itself.
  private connect(): Client {
    return createClient({ url: this.url, webSocketImpl: WebSocket, retryAttempts: 0 });
  }

  private subscribe(): void {
    this.unsubscribe = this.client.subscribe<{
      rewardAssigned: { id: string; assignedAt: string; position: string };
    }>(
      {
        query: `subscription($rlRunId: ID!, $after: String) {
          rewardAssigned(rlRunId: $rlRunId, afterPosition: $after) { id assignedAt position } }`,
        variables: { rlRunId: this.rlRunId, after: this.lastPosition },
      },
      {
        next: ({ data, errors }) => {
          if (errors) this.errors.push(...errors.map((error) => error.message));
          if (!data) return;
          const { id, assignedAt, position } = data.rewardAssigned;
          if (this.seen.has(id)) this.doubled++;
          this.seen.add(id);
          this.lastPosition = position;
          this.onDelivery({ at: Date.now(), ms: Date.now() - Date.parse(assignedAt) });
        },
        error: (error) => {
          this.errors.push(error instanceof Error ? error.message : JSON.stringify(error));
          this.again(true);
        },
        complete: () => this.again(false),
      },
    );
  }

  private again(reconnect: boolean): void {
    if (this.disposed) return;
    this.resubscribed++;
    setTimeout(() => {
      if (this.disposed) return;
      if (reconnect) {
        void Promise.resolve(this.client.dispose()).catch(() => undefined);
        this.client = this.connect();
      }
      this.subscribe();
    }, 500);
  }
}
