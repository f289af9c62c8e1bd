import { dropTemplateDatabase } from '../libs/testing/src/test-database';

export default async function globalTeardown(): Promise<void> {
  await dropTemplateDatabase();
}
