import type { Command } from 'commander';
import { registerBackup, registerDoctor, registerInit } from './maintenance.js';
import { registerAdd } from './records-add.js';
import { registerShow } from './records-show.js';
import { registerList, registerSearch } from './records-list.js';
import { registerEdit } from './records-edit.js';
import { registerContact, registerLog, registerSale } from './records-activity.js';
import { registerImport } from './import.js';
import { registerDedupe } from './dedupe.js';
import { registerCategorise } from './categorise.js';
import { registerExport } from './export.js';
import { registerRgpd } from './rgpd.js';
import { registerField } from './fields.js';
import { registerCopy } from './copy.js';

/** Every command group, in the order --help lists them. */
export const COMMANDS: ((program: Command) => void)[] = [
  registerInit,
  registerAdd,
  registerShow,
  registerList,
  registerSearch,
  registerEdit,
  registerContact,
  registerLog,
  registerSale,
  registerImport,
  registerDedupe,
  registerCategorise,
  registerExport,
  registerField,
  registerRgpd,
  registerDoctor,
  registerBackup,
  registerCopy,
];
