import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link AwsNetwork}. */
export interface AwsNetworkArgs {
    /** Region of the VPC. */
    region: string;
    /** Cluster name, tagged on subnets so the AWS load balancer controller finds them. */
    clusterName: string;
    /** Number of availability zones (each gets one public and one private subnet). */
    zoneCount: number;
}

/**
 * Availability zones (by zone ID, which is the same in every account) where EKS cannot place a control plane,
 * from the EKS user guide ("Subnet requirements"): a subnet there makes CreateCluster fail.
 */
export const EKS_UNSUPPORTED_ZONE_IDS: readonly string[] = ["use1-az3", "usw1-az2", "cac1-az3"];

/** The region's zones EKS accepts, in the provider's order; throws when fewer than `count` remain. */
export function eksZones(zones: { names: string[]; zoneIds: string[] }, count: number): string[] {
    const usable = zones.names.filter((_, i) => !EKS_UNSUPPORTED_ZONE_IDS.includes(zones.zoneIds[i]));
    if (usable.length < count) throw new Error(`only ${usable.length} availability zones usable by EKS (${usable.join(", ")}); ${count} needed`);
    return usable.slice(0, count);
}

/**
 * A VPC for an EKS cluster:
 *
 *   internet ─ IGW ─ public subnets (load balancers, NAT gateway) ─ NAT ─ private subnets (nodes)
 *
 * One NAT gateway (not one per zone): a zone outage stops image pulls, not serving; cheaper for a single service.
 */
export class AwsNetwork extends pulumi.ComponentResource {
    /** The VPC. */
    public readonly vpc: aws.ec2.Vpc;
    /** Subnets for nodes, without public IPs. */
    public readonly privateSubnetIds: pulumi.Output<string>[];
    /** Subnets for internet-facing load balancers. */
    public readonly publicSubnetIds: pulumi.Output<string>[];

    constructor(name: string, args: AwsNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:aws:Network", name, {}, opts);
        const { region } = args;
        const child = { parent: this };
        // The region's own zones (no Local or Wavelength Zones: they need opt-in), minus those EKS does not support.
        const available = aws.getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }], region }, child);
        const zones = pulumi.all([available.names, available.zoneIds]).apply(([names, zoneIds]) => eksZones({ names, zoneIds }, args.zoneCount));
        const clusterTag = { [`kubernetes.io/cluster/${args.clusterName}`]: "shared" };

        this.vpc = new aws.ec2.Vpc(`${name}-vpc`, {
            cidrBlock: "10.0.0.0/16", enableDnsHostnames: true, enableDnsSupport: true, region, tags: { Name: `${name}-vpc` },
        }, child);
        const gateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: this.vpc.id, region }, child);

        const subnet = (kind: "public" | "private", index: number) => new aws.ec2.Subnet(`${name}-${kind}-${index}`, {
            vpcId: this.vpc.id,
            availabilityZone: zones[index],
            cidrBlock: `10.0.${kind === "public" ? index : 64 + index * 32}.0/${kind === "public" ? 24 : 19}`,
            mapPublicIpOnLaunch: kind === "public",
            region,
            tags: { ...clusterTag, Name: `${name}-${kind}-${index}`, [kind === "public" ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb"]: "1" },
        }, child);
        const indexes = Array.from({ length: args.zoneCount }, (_, i) => i);
        const publicSubnets = indexes.map((i) => subnet("public", i));
        const privateSubnets = indexes.map((i) => subnet("private", i));

        const natAddress = new aws.ec2.Eip(`${name}-nat`, { domain: "vpc", region }, child);
        const nat = new aws.ec2.NatGateway(`${name}-nat`, { allocationId: natAddress.id, subnetId: publicSubnets[0].id, region }, { ...child, dependsOn: [gateway] });

        const publicRoutes = new aws.ec2.RouteTable(`${name}-public`, { vpcId: this.vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }], region }, child);
        const privateRoutes = new aws.ec2.RouteTable(`${name}-private`, { vpcId: this.vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }], region }, child);
        publicSubnets.forEach((s, i) => new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: s.id, routeTableId: publicRoutes.id, region }, child));
        privateSubnets.forEach((s, i) => new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: s.id, routeTableId: privateRoutes.id, region }, child));

        this.publicSubnetIds = publicSubnets.map((s) => s.id);
        this.privateSubnetIds = privateSubnets.map((s) => s.id);
        this.registerOutputs({ vpcId: this.vpc.id, privateSubnetIds: this.privateSubnetIds, publicSubnetIds: this.publicSubnetIds });
    }
}
