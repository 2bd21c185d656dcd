// Every request form, sent by the client @hey-api/openapi-ts generates from
// schemas/openapi.json, to a loopback recorder; the requests are written as
// a HAR file (the first argument) for `indicative lint --profile strict`.
// Compiled with `tsc --strict` and run with node by
// scripts/check-generated-clients.sh.
import { writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

import { client } from "./client/client.gen";
import {
  aliasUser, aliasUserWithKeyInPath, deleteUser, deleteUserWithKeyInPath, identifyUser, identifyUserWithKeyInPath,
  suppressUser, suppressUserWithKeyInPath, trackBatch, trackEvent, trackEventByQuery, trackEventWithKeyInPath,
} from "./client/sdk.gen";
import type { Event, EventTime } from "./client/types.gen";

type Captured = { method: string; url: string; headers: Record<string, string>; body: string };

async function read(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function main(): Promise<void> {
  const captured: Captured[] = [];
  const server = createServer(async (request, response) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name] = String(value);
    captured.push({ method: request.method ?? "", url: request.url ?? "", headers, body: await read(request) });
    response.writeHead(200).end();
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const { port } = server.address() as AddressInfo;
  client.setConfig({ baseUrl: `http://127.0.0.1:${port}` });

  const apiKey = "3f2a9c7e-5b1d-4e8a-9f6c-2d7b8e1a4c90";
  const times: EventTime[] = [1700000000000, 1700000000, "2023-11-14T22:13:20Z", "2023-11-14T22:13:20.123+01:00"];
  const event = (eventTime: EventTime): Event => ({
    apiKey, eventName: "Checkout", eventUniqueId: "user47", properties: { plan: "pro", total: "24.90" }, eventTime,
  });
  const answers = [];
  for (const eventTime of times) {
    answers.push(await trackEvent({ body: event(eventTime) }));
    const { apiKey: _, ...withoutKey } = event(eventTime);
    answers.push(await trackEventWithKeyInPath({ path: { apiKey }, body: withoutKey }));
  }
  answers.push(await trackEvent({ body: { apiKey, eventName: "Log-In", eventUniqueId: "user752" } }));
  answers.push(await trackBatch({
    body: { apiKey, events: times.map((eventTime, i) => ({ eventName: "Viewed", eventUniqueId: `user${i}`, eventTime })) },
  }));
  for (const eventTime of ["1700000000000", "1700000000", "2023-11-14T22:13:20Z"]) {
    answers.push(await trackEventByQuery({
      query: { apiKey, eventName: "Registration", eventUniqueId: "user47", propertyNames: ["Gender", "Age"], propertyValues: ["Female", "23"], eventTime },
    }));
  }
  answers.push(await trackEventByQuery({ query: { apiKey, eventName: "Registration", eventUniqueId: "user47" } }));
  answers.push(await identifyUser({ body: { apiKey, uniqueId: "user47", properties: { plan: "pro" } } }));
  answers.push(await identifyUserWithKeyInPath({ path: { apiKey }, body: { uniqueId: "user47", properties: { plan: "pro" } } }));
  answers.push(await aliasUser({ body: { apiKey, previousId: "anon-1", newId: "user47" } }));
  answers.push(await aliasUserWithKeyInPath({ path: { apiKey }, body: { previousId: "anon-1", newId: "user47" } }));
  answers.push(await suppressUser({ body: { apiKey, uniqueId: "user47" } }));
  answers.push(await suppressUserWithKeyInPath({ path: { apiKey }, body: { uniqueId: "user47" } }));
  answers.push(await deleteUser({ body: { apiKey, uniqueId: "user47" } }));
  answers.push(await deleteUserWithKeyInPath({ path: { apiKey }, body: { uniqueId: "user47" } }));
  server.close();

  for (const answer of answers) {
    if (answer.response.status !== 200) throw new Error(`answered ${answer.response.status}`);
  }
  if (captured.length !== answers.length) throw new Error(`${captured.length} captured of ${answers.length} sent`);
  const entries = captured.map((c) => ({
    request: {
      method: c.method,
      url: `https://api.indicative.com${c.url}`,
      headers: Object.entries(c.headers).map(([name, value]) => ({ name, value })),
      ...(c.method === "POST" ? { postData: { mimeType: c.headers["content-type"] ?? "", text: c.body } } : {}),
    },
  }));
  const har = { log: { version: "1.2", creator: { name: "hey-api-client", version: "0" }, entries } };
  writeFileSync(process.argv[2], JSON.stringify(har));
  console.log(`captured ${captured.length} requests`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
