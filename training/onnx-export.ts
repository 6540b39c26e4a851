import { onnx } from "onnx-proto";
import { INPUT_NAME, OUTPUT_NAMES } from "../services/inference/src/model/metadata";
import type { Ensemble } from "./gbdt";
import { LOCATION_SCORE_COLUMN, SQUARE_FEET_COLUMN } from "./linear";
import type { ValuationModel } from "./model";

/**
 * Writes the model as a standard ONNX graph:
 *
 *   features [N,5] ─ ai.onnx.ml.TreeEnsembleRegressor (3 targets: log estimate, log lower, log upper) [N,3]
 *     + baseline [N,1] (Gather square_feet → Log → Mul; Gather location_score → Mul; Add; broadcast)
 *     ─ Exp ─ Split(axis 1) ─ estimate [N,1]
 *                           ─ Min(·, estimate) = lower [N,1]
 *                           ─ Max(·, estimate) = upper [N,1]
 *
 * TreeEnsembleRegressor (ai.onnx.ml opset 3) semantics used: nodes_* are parallel arrays, one entry per
 * node; node ids restart at 0 in every tree and increase by 1; BRANCH_LEQ sends x <= value to
 * nodes_truenodeids, and a NaN feature value follows nodes_truenodeids where nodes_missing_value_tracks_true is 1,
 * nodes_falsenodeids otherwise (NaN <= value is false); each leaf has one target_* vote (tree, node, target id, weight); the votes of a target
 * are summed (aggregate_function SUM) and base_values[target] is added; post_transform NONE.
 */

const ML_DOMAIN = "ai.onnx.ml";
export const ONNX_OPSET = 13;
export const ONNX_ML_OPSET = 3;

const A = onnx.AttributeProto.AttributeType;
const utf8 = (s: string) => new TextEncoder().encode(s);
const ints = (name: string, values: number[]): onnx.IAttributeProto => ({ name, type: A.INTS, ints: values });
const floats = (name: string, values: number[]): onnx.IAttributeProto => ({ name, type: A.FLOATS, floats: values });
const strings = (name: string, values: string[]): onnx.IAttributeProto => ({ name, type: A.STRINGS, strings: values.map(utf8) });
const int = (name: string, value: number): onnx.IAttributeProto => ({ name, type: A.INT, i: value });
const str = (name: string, value: string): onnx.IAttributeProto => ({ name, type: A.STRING, s: utf8(value) });

function floatTensor(name: string, dims: (number | string)[]): onnx.IValueInfoProto {
    return {
        name,
        type: {
            tensorType: {
                elemType: onnx.TensorProto.DataType.FLOAT,
                shape: { dim: dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })) },
            },
        },
    };
}

/** The TreeEnsembleRegressor node for several ensembles, one target each. */
export function treeEnsembleNode(ensembles: Ensemble[], input: string, output: string): onnx.INodeProto {
    const n = {
        treeIds: [] as number[], nodeIds: [] as number[], featureIds: [] as number[], values: [] as number[],
        modes: [] as string[], trueIds: [] as number[], falseIds: [] as number[], missingTrue: [] as number[],
    };
    const t = { treeIds: [] as number[], nodeIds: [] as number[], ids: [] as number[], weights: [] as number[] };
    let treeId = 0;
    ensembles.forEach((ensemble, target) => {
        for (const tree of ensemble.trees) {
            for (let node = 0; node < tree.feature.length; node++) {
                const leaf = tree.feature[node] < 0;
                n.treeIds.push(treeId);
                n.nodeIds.push(node);
                n.featureIds.push(leaf ? 0 : tree.feature[node]);
                n.values.push(leaf ? 0 : tree.threshold[node]);
                n.modes.push(leaf ? "LEAF" : "BRANCH_LEQ");
                n.trueIds.push(leaf ? 0 : tree.left[node]);
                n.falseIds.push(leaf ? 0 : tree.right[node]);
                n.missingTrue.push(leaf ? 0 : tree.missingLeft[node]);
                if (leaf) {
                    t.treeIds.push(treeId);
                    t.nodeIds.push(node);
                    t.ids.push(target);
                    t.weights.push(tree.value[node]);
                }
            }
            treeId++;
        }
    });
    return {
        opType: "TreeEnsembleRegressor",
        domain: ML_DOMAIN,
        name: "trees",
        input: [input],
        output: [output],
        attribute: [
            str("aggregate_function", "SUM"),
            floats("base_values", ensembles.map((e) => e.base)),
            int("n_targets", ensembles.length),
            ints("nodes_falsenodeids", n.falseIds),
            ints("nodes_featureids", n.featureIds),
            ints("nodes_missing_value_tracks_true", n.missingTrue),
            strings("nodes_modes", n.modes),
            ints("nodes_nodeids", n.nodeIds),
            ints("nodes_treeids", n.treeIds),
            ints("nodes_truenodeids", n.trueIds),
            floats("nodes_values", n.values),
            str("post_transform", "NONE"),
            ints("target_ids", t.ids),
            ints("target_nodeids", t.nodeIds),
            ints("target_treeids", t.treeIds),
            floats("target_weights", t.weights),
        ],
    };
}

/** Serialises the valuation model to ONNX bytes (deterministic: same model → same bytes). */
export function exportOnnx(model: ValuationModel, featureCount: number, docString: string, version: string): Uint8Array {
    const graph: onnx.IGraphProto = {
        name: "property_valuation",
        docString,
        input: [floatTensor(INPUT_NAME, ["N", featureCount])],
        output: OUTPUT_NAMES.map((name) => floatTensor(name, ["N", 1])),
        initializer: [
            { name: "split_sizes", dataType: onnx.TensorProto.DataType.INT64, dims: [3], int64Data: [1, 1, 1] },
            { name: "square_feet_column", dataType: onnx.TensorProto.DataType.INT64, dims: [1], int64Data: [SQUARE_FEET_COLUMN] },
            { name: "location_score_column", dataType: onnx.TensorProto.DataType.INT64, dims: [1], int64Data: [LOCATION_SCORE_COLUMN] },
            { name: "log_sqft_slope", dataType: onnx.TensorProto.DataType.FLOAT, dims: [], floatData: [model.offset.logSquareFeet] },
            { name: "location_slope", dataType: onnx.TensorProto.DataType.FLOAT, dims: [], floatData: [model.offset.locationScore] },
        ],
        node: [
            treeEnsembleNode([model.estimate, model.lower, model.upper], INPUT_NAME, "tree_sums"),
            { opType: "Gather", name: "square_feet", input: [INPUT_NAME, "square_feet_column"], output: ["square_feet"],
                attribute: [int("axis", 1)] },
            { opType: "Log", name: "log_square_feet", input: ["square_feet"], output: ["log_square_feet"] },
            { opType: "Mul", name: "size_term", input: ["log_square_feet", "log_sqft_slope"], output: ["size_term"] },
            { opType: "Gather", name: "location_score", input: [INPUT_NAME, "location_score_column"], output: ["location_score"],
                attribute: [int("axis", 1)] },
            { opType: "Mul", name: "location_term", input: ["location_score", "location_slope"], output: ["location_term"] },
            { opType: "Add", name: "baseline", input: ["size_term", "location_term"], output: ["baseline"] },
            { opType: "Add", name: "log_prices", input: ["tree_sums", "baseline"], output: ["log_prices"] },
            { opType: "Exp", name: "to_usd", input: ["log_prices"], output: ["prices"] },
            { opType: "Split", name: "columns", input: ["prices", "split_sizes"], output: ["estimate", "raw_lower", "raw_upper"],
                attribute: [int("axis", 1)] },
            { opType: "Min", name: "lower_not_above_estimate", input: ["raw_lower", "estimate"], output: ["lower"] },
            { opType: "Max", name: "upper_not_below_estimate", input: ["raw_upper", "estimate"], output: ["upper"] },
        ],
    };
    const proto: onnx.IModelProto = {
        irVersion: 8,
        opsetImport: [{ domain: "", version: ONNX_OPSET }, { domain: ML_DOMAIN, version: ONNX_ML_OPSET }],
        producerName: "model-serving/training",
        producerVersion: version,
        modelVersion: Number(version),
        graph,
    };
    return onnx.ModelProto.encode(onnx.ModelProto.create(proto)).finish();
}
