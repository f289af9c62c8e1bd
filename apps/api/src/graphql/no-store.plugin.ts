import type { ApolloServerPlugin } from '@apollo/server';

/**
 * Answers are never cached (they change as events are projected). Apollo's cache-control
 * plugin says so too, but it instruments every field of every answer to work that out, a third
 * of the API's CPU on a 500-point series; it is disabled and this header set instead.
 */
export const noStorePlugin: ApolloServerPlugin = {
  requestDidStart() {
    return Promise.resolve({
      willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
        return Promise.resolve();
      },
    });
  },
};
