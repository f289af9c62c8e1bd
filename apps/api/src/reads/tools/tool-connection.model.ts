import { ObjectType } from '@nestjs/graphql';
import { Connection } from '../../graphql/connection';
import { Tool } from './tool.model';

@ObjectType()
export class ToolConnection extends Connection(Tool) {}
