// `pic-store explain RECEIPT_FILE_OR_ID [--json]` (DESIGN 2.4): the helpdesk explanation of a
// receipt, the same words the Activity detail page shows. The argument is a receipt file, or the
// id `pic-store activity` prints. A file is validated as a receipt first; an invalid one is exit 3
// with the JSON paths of what is wrong.
import { explainReceipt } from '../../core/receipts/explain';
import { explanationLines } from '../../core/receipts/explain-text';
import { terminalLines } from '../../core/terminal-text';
import { parseCommandArgs, UsageError } from '../args';
import type { CliContext } from '../context';
import { EXIT, printJson, type CliIo, type ExitCode } from '../io';
import { receiptFromFileOrId } from './receipt-arg';

export async function explainCommand(argv: string[], io: CliIo, ctx: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('needs exactly one RECEIPT_FILE or receipt id');
  const receipt = await receiptFromFileOrId(positionals[0]!, io, ctx);
  const explanation = explainReceipt(receipt);
  if (values.json) printJson(io, { explanation, receipt });
  // Line by line: a newline inside a receipt field is shown escaped and can never forge a line.
  else io.out(terminalLines(...explanationLines(explanation, receipt)));
  return EXIT.ok;
}
