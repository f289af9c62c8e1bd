export { k2Pipeline, pipelineSize, DEMO_SIZES } from './k2-pipeline';
export type { PipelineOptions, DemoEvent } from './k2-pipeline';
