// An independent Azure Blob client for the tests (Node's own http and crypto, nothing from
// seedaudio): looks into Azurite's containers and damages blobs.
//
// node tests/azuretool.js ENDPOINT ACCOUNT KEY CONTAINER COMMAND ARGS…
//   mkcontainer            create the container
//   list PREFIX            every blob name under PREFIX, one a line
//   get NAME FILE          the blob's bytes into FILE
//   put NAME FILE          FILE's bytes as the blob (overwriting)
//   dump PREFIX DIR        every blob under PREFIX into DIR/NAME; prints NAME<TAB>Content-Type
//   sas                    prints an account SAS token for blobs (read, write, delete, list, create; an hour)
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const http = require("http");
const path = require("path");

const [endpoint, account, key, container, command, ...args] = process.argv.slice(2);

// Shared Key, as Microsoft's "Authorize with Shared Key" page lays it out.
function request(method, blob, query, body, headers) {
  const url = new URL(`${endpoint}/${container}${blob === null ? "" : "/" + encodeURIComponent(blob).replace(/%2F/g, "/")}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.append(k, v);
  const all = { "x-ms-date": new Date().toUTCString(), "x-ms-version": "2021-12-02", ...headers };
  if (body.length) all["content-length"] = String(body.length);
  const std = ["content-encoding", "content-language", "content-length", "content-md5", "content-type", "date",
    "if-modified-since", "if-match", "if-none-match", "if-unmodified-since", "range"];
  let text = method + "\n" + std.map((h) => (all[h] || "") + "\n").join("");
  text += Object.keys(all).filter((h) => h.startsWith("x-ms-")).sort().map((h) => `${h}:${all[h]}\n`).join("");
  text += `/${account}${url.pathname}`;
  text += [...url.searchParams.keys()].sort().map((k) => `\n${k}:${url.searchParams.get(k)}`).join("");
  const mac = crypto.createHmac("sha256", Buffer.from(key, "base64")).update(text, "utf8").digest("base64");
  all.authorization = `SharedKey ${account}:${mac}`;
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: all }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function ok(res, what, ...want) {
  if (!want.includes(res.status)) throw new Error(`${what}: ${res.status} ${res.body.toString()}`);
  return res;
}

async function list(prefix) {
  const names = [];
  let marker = "";
  for (;;) {
    const query = { restype: "container", comp: "list", prefix, maxresults: "100" };
    if (marker) query.marker = marker;
    const xml = ok(await request("GET", null, query, Buffer.alloc(0), {}), "list", 200).body.toString();
    for (const m of xml.matchAll(/<Name>([^<]*)<\/Name>/g)) names.push(m[1].replace(/&amp;/g, "&"));
    marker = (xml.match(/<NextMarker>([^<]*)<\/NextMarker>/) || [])[1] || "";
    if (!marker) return names;
  }
}

async function main() {
  const none = Buffer.alloc(0);
  switch (command) {
    case "mkcontainer":
      ok(await request("PUT", null, { restype: "container" }, none, {}), "mkcontainer", 201);
      break;
    case "list":
      for (const name of await list(args[0])) console.log(name);
      break;
    case "get":
      fs.writeFileSync(args[1], ok(await request("GET", args[0], {}, none, {}), "get", 200).body);
      break;
    case "put":
      ok(await request("PUT", args[0], {}, fs.readFileSync(args[1]), { "x-ms-blob-type": "BlockBlob" }), "put", 201);
      break;
    case "dump":
      for (const name of await list(args[0])) {
        const res = ok(await request("GET", name, {}, none, {}), "get", 200);
        fs.mkdirSync(path.dirname(path.join(args[1], name)), { recursive: true });
        fs.writeFileSync(path.join(args[1], name), res.body);
        console.log(`${name}\t${res.headers["content-type"]}`);
      }
      break;
    case "sas": {
      // Account SAS, as "Create an account SAS" lays out its string-to-sign (version 2020-12-06 and later).
      const expiry = new Date(Date.now() + 3600 * 1000).toISOString().replace(/\.\d+Z$/, "Z");
      const fields = [account, "rwdlc", "b", "sco", "", expiry, "", "https,http", "2021-12-02", ""];
      const text = fields.join("\n") + "\n";
      const sig = crypto.createHmac("sha256", Buffer.from(key, "base64")).update(text, "utf8").digest("base64");
      const query = new URLSearchParams({ sv: "2021-12-02", ss: "b", srt: "sco", sp: "rwdlc", se: expiry, spr: "https,http", sig });
      console.log(query.toString());
      break;
    }
    default:
      throw new Error(`unknown command ${command}`);
  }
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
