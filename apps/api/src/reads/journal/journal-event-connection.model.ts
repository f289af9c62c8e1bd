import { ObjectType } from '@nestjs/graphql';
import { Connection } from '../../graphql/connection';
import { JournalEvent } from './journal-event.model';

@ObjectType()
export class JournalEventConnection extends Connection(JournalEvent) {}
