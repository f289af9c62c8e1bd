export { ProjectorModule } from './projector.module';
export { projectBatch } from './project-batch';
export type { BatchOutcome } from './project-batch';
export { replayJournal } from './replay';
