export { TAG as EC2_TAGS } from "./calls.ts";
export { ec2Client } from "./client.ts";
export { Ec2ConflictError, Ec2RequestError } from "./errors.ts";
export {
  describeImages,
  describeInstances,
  describeLaunchTemplate,
  describeSecurityGroups,
  describeSnapshots,
  describeVolumes,
  type ImageFacts,
  type InstanceFacts,
  type LaunchTemplateFacts,
  type SecurityGroupFacts,
  type SnapshotFacts,
  sameFacts,
  type VolumeFacts,
} from "./facts.ts";
