// Turns Kubernetes objects (YAML on standard input) into what `podman kube play` runs: each Job into its Pods (an Indexed
// Job into one Pod per index, with JOB_COMPLETION_INDEX set as Kubernetes sets it), other objects unchanged.
// --image IMAGE runs another image than the manifests name.
import { readFileSync } from "node:fs";
import { parseAllDocuments, stringify } from "yaml";

const image = process.argv.includes("--image") ? process.argv[process.argv.indexOf("--image") + 1] : null;
const out = [];
for (const document of parseAllDocuments(readFileSync(0, "utf8"))) {
  const object = document.toJS();
  if (!object) continue;
  if (object.kind !== "Job") { out.push(object); continue; }
  const indexed = object.spec.completionMode === "Indexed";
  for (let index = 0; index < (indexed ? object.spec.completions : 1); index++) {
    const spec = structuredClone(object.spec.template.spec);
    for (const container of spec.containers) {
      if (image) container.image = image;
      if (indexed) container.env = [...(container.env ?? []), { name: "JOB_COMPLETION_INDEX", value: `${index}` }];
    }
    out.push({ apiVersion: "v1", kind: "Pod", metadata: { name: indexed ? `${object.metadata.name}-${index}` : object.metadata.name }, spec });
  }
}
process.stdout.write(out.map(o => stringify(o, { lineWidth: 0 })).join("---\n"));
