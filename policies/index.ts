import { PolicyPack } from "@pulumi/policy";
import { packDescription, packEnforcementLevel, packName, policies } from "./pack";

// Constructing the pack starts the analyzer's gRPC server, so nothing but the Pulumi CLI imports this file.
new PolicyPack(packName, { description: packDescription, enforcementLevel: packEnforcementLevel, policies });
