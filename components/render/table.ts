import type { Backend, Platform } from "../spec";
import { renderCloudRun } from "./cloudrun";
import type { RenderContext, Rendered } from "./context";
import { renderEks } from "./eks";
import { renderGke } from "./gke";
import { renderHybrid } from "./hybrid";
import { renderLambda } from "./lambda";

/** A backend's render: its platform settings in, its resources declared under ctx.parent, its outputs back. */
export type Render<B extends Backend> = (ctx: RenderContext, platform: Extract<Platform, { backend: B }>) => Rendered;

/**
 * The render half of the backend table (the config half, components/config/, parses each backend's keys): one
 * entry per backend, so a new backend is one entry here plus its module in this folder; the type makes a missing
 * entry a compile error.
 */
export const RENDERERS: { readonly [B in Backend]: Render<B> } = {
    eks: (ctx, platform) => renderEks(ctx, platform),
    gke: (ctx, platform) => renderGke(ctx, platform),
    cloudrun: (ctx, platform) => renderCloudRun(ctx, platform),
    lambda: (ctx, platform) => renderLambda(ctx, platform),
    hybrid: renderHybrid,
};

/** Declares `platform`'s backend through its table entry. */
export function renderBackend(ctx: RenderContext, platform: Platform): Rendered {
    return (RENDERERS[platform.backend] as Render<Backend>)(ctx, platform as never);
}
