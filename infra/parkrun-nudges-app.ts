import { App, Validations } from 'aws-cdk-lib';
import type { AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ParkrunNudgesStack } from './parkrun-nudges-stack.js';
import { readSettings } from './settings.js';

export const stackName = 'ParkrunPracticeNudges';

/**
 * The whole CDK app, with the cdk-nag packs registered as validation plugins: synth fails
 * on any finding (error or warning) that is not acknowledged where it arises.
 * Kept apart from app.ts so tests build exactly what `cdk synth` builds.
 */
export function createApp(props: AppProps = {}): { app: App; stack: ParkrunNudgesStack } {
  const app = new App(props);
  const settings = readSettings(app.node);
  const stack = new ParkrunNudgesStack(app, stackName, {
    settings,
    description: 'parkrun practice nudges: keeps GP practice / parkrun event partnerships alive',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, stack };
}
