// Sends every signal of examples/orders_cli's enum through the generated TypeScript sender
// (generated/sender.ts, types by json-schema-to-typescript) to the run named by
// ORDER_WORKFLOW_ID on SWF_SERVER_URL; scripts/test then reads the run's history back with
// the Rust enum, which must decode each one.
import { SWFClient } from "@aws-sdk/client-swf";
import { sendSignal, Signal, SIGNAL_NAMES } from "./generated/sender";

declare const process: { env: Record<string, string | undefined>; exitCode?: number };

const signals: Signal[] = [
  { name: "approve", input: { approver: "dana", note: "from TypeScript" } },
  { name: "change-quantity", input: 3 },
  { name: "cancel", input: { code: "DUPLICATE", detail: null } },
  { name: "nudge" },
];

async function main(): Promise<void> {
  const sent = signals.map((s) => s.name);
  if (JSON.stringify(sent) !== JSON.stringify(SIGNAL_NAMES)) {
    throw new Error(`not every signal is sent: ${sent} vs ${SIGNAL_NAMES}`);
  }
  const client = new SWFClient({ endpoint: process.env.SWF_SERVER_URL, region: "us-east-1" });
  const domain = process.env.ORDER_DOMAIN ?? "swf-signal-demo";
  const workflowId = process.env.ORDER_WORKFLOW_ID ?? "";
  for (const signal of signals) {
    await sendSignal(client, domain, workflowId, signal);
    console.log(`typescript sent ${signal.name}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
