// `pic-store explain RECEIPT_FILE [--json]` (DESIGN 2.4): the helpdesk explanation of a receipt,
// the same words the Activity detail page shows. The file is validated as a receipt first; an
// invalid one is exit 3 with the JSON paths of what is wrong.
import { explainReceipt } from '../../core/receipts/explain';
import { explanationLines } from '../../core/receipts/explain-text';
import { importReceiptFile } from '../../core/receipts/receipt-file';
import { parseCommandArgs, UsageError } from '../args';
import type { CliContext } from '../context';
import { EXIT, printJson, type CliIo, type ExitCode } from '../io';
import { resolve } from 'node:path';
import { terminalLines } from '../../core/terminal-text';

export async function explainCommand(argv: string[], io: CliIo, _ctx: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('needs exactly one RECEIPT_FILE');
  const receipt = await importReceiptFile(resolve(io.cwd, positionals[0]!));
  const explanation = explainReceipt(receipt);
  if (values.json) printJson(io, { explanation, receipt });
  // Line by line: a newline inside a receipt field is shown escaped and can never forge a line.
  else io.out(terminalLines(...explanationLines(explanation, receipt)));
  return EXIT.ok;
}
