/**
 * Test-only: lets kafkajs talk to librdkafka's mock cluster. The mock reports controller id
 * 0 while its brokers are numbered from 1, so every request kafkajs sends to the controller
 * (InitProducerId of an idempotent producer, CreateTopics) fails with "Broker 0 not found".
 * The shim sends them to the lowest-numbered broker instead when the controller id is not
 * a known broker. Never install it in production code.
 */

interface BrokerPool {
  metadata?: { controllerId?: number | null } | null;
  brokers: Record<string, unknown>;
}

interface ClusterPrototype {
  brokerPool: BrokerPool;
  findBroker(args: { nodeId: string }): Promise<unknown>;
  findControllerBroker(): Promise<unknown>;
  [installed]?: true;
}

const installed = Symbol.for('tracker.testing.kafkajsMockShim');

/** Installs the shim on kafkajs's Cluster class; calling it again does nothing. */
export function installKafkajsMockShim(): void {
  // A private kafkajs module, on purpose: this file is the only place that reaches into it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Cluster = require('kafkajs/src/cluster') as { prototype: ClusterPrototype };
  const prototype = Cluster.prototype;
  if (prototype[installed]) return;
  // Kept unbound on purpose: the wrapper calls it with the cluster as `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const findControllerBroker = prototype.findControllerBroker;
  prototype.findControllerBroker = async function (this: ClusterPrototype) {
    const { metadata, brokers } = this.brokerPool;
    const controllerId = metadata?.controllerId;
    if (controllerId != null && brokers[String(controllerId)] === undefined) {
      const [first] = Object.keys(brokers).sort((a, b) => Number(a) - Number(b));
      if (first !== undefined) return this.findBroker({ nodeId: first });
    }
    return findControllerBroker.call(this);
  };
  prototype[installed] = true;
}
