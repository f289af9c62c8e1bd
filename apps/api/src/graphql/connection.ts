import { Field, ObjectType } from '@nestjs/graphql';
import type { Type } from '@nestjs/common';
import { PageInfo } from './page-info.model';

export interface Edge<Node> {
  cursor: string;
  node: Node;
}

export interface ConnectionShape<Node> {
  edges: Edge<Node>[];
  pageInfo: PageInfo;
}

/** Builds the Relay connection and edge object types of a node type: `ToolConnection`, `ToolEdge`. */
export function Connection<Node>(
  nodeType: Type<Node>,
  name = nodeType.name,
): Type<ConnectionShape<Node>> {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field()
    cursor!: string;

    @Field(() => nodeType)
    node!: Node;
  }

  @ObjectType({ isAbstract: true })
  class ConnectionType {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  return ConnectionType;
}
