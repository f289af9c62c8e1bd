/** Posts a GraphQL operation and returns `data`, failing loudly on any GraphQL error. */
export async function graphql<Data = Record<string, any>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Data> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: Array<{ message: string }> };
  if (body.errors?.length)
    throw new Error(`GraphQL errors: ${body.errors.map((error) => error.message).join('; ')}`);
  return body.data as Data;
}

/** The raw GraphQL answer, errors included, for tests about errors. */
export async function graphqlRaw(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
) {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as {
    data?: Record<string, any>;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
}
