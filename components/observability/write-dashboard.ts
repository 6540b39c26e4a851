import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { grafanaDashboard } from "./prometheus";

/** Regenerates dashboards/inference.json from the panel list (test/observability checks the two agree). */
const target = path.join(__dirname, "..", "..", "dashboards", "inference.json");
writeFileSync(target, `${JSON.stringify(grafanaDashboard(), null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), target)}`);
