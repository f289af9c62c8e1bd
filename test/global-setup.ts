import { prepareTemplateDatabase } from '../libs/testing/src/test-database';

// Migrations run once, into a template database; each suite copies it (CREATE DATABASE ... TEMPLATE).
export default async function globalSetup(): Promise<void> {
  await prepareTemplateDatabase();
}
