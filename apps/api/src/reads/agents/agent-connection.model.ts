import { ObjectType } from '@nestjs/graphql';
import { Connection } from '../../graphql/connection';
import { Agent } from './agent.model';

@ObjectType()
export class AgentConnection extends Connection(Agent) {}
