// The extension's settings, declared once: package.json's contributes.configuration is this
// object (test/unit/settings.test.ts fails when they differ). Only what the editor needs: cmts
// itself reads its check settings from .cmts.json, shared with the CLI.

export const SETTINGS = {
  enable: 'cmts.enable',
  traceServer: 'cmts.trace.server',
  cliPath: 'cmts.cli.path',
} as const;

export const CONFIGURATION = {
  title: 'cmts',
  properties: {
    [SETTINGS.enable]: {
      type: 'boolean',
      default: true,
      scope: 'window',
      description: 'Check ConfigMgr and MDT task sequences with cmts. Severities per check are set in .cmts.json, not here.',
    },
    [SETTINGS.traceServer]: {
      type: 'string',
      enum: ['off', 'messages', 'verbose'],
      enumDescriptions: ['No tracing.', 'Trace the messages between VS Code and the cmts language server.', 'Trace the messages with their contents.'],
      default: 'off',
      scope: 'window',
      description: 'Traces the communication between VS Code and the cmts language server into the cmts output.',
    },
    [SETTINGS.cliPath]: {
      type: 'string',
      default: '',
      scope: 'resource',
      description: 'The cmts command line the "cmts: check" task runs (default: cmts on the PATH, from npm install -g cmts).',
    },
  },
} as const;
