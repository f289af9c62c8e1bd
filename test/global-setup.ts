// Filled in by the test database setup (migrations applied once to a template database).
export default async function globalSetup(): Promise<void> {}
