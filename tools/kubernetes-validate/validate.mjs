// Reads Kubernetes objects (YAML, several documents) on standard input and checks each against the API's JSON schema:
// a field of the wrong type (completions: "4", a number in args) or a missing required field fails, with its path.
// Fields the schema does not know are not caught. Exit 0 when every object is valid.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

let invalid = 0;
for (const document of parseAllDocuments(readFileSync(0, "utf8"))) {
  if (document.errors.length > 0) throw document.errors[0];
  const object = document.toJS();
  if (!object) continue;
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
  const module = await import(`kubernetes-models/${group ? `${group}/` : ""}${version}/${object.kind}`);
  const name = `${object.kind} ${object.metadata?.name}`;
  try {
    new module[object.kind](object).validate();
    console.log(`valid: ${name}`);
  } catch (error) {
    invalid++;
    console.error(`invalid: ${name}: ${error.message}`);
  }
}
process.exit(invalid > 0 ? 1 : 0);
