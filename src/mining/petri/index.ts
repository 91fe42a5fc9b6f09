export { acceptsTrace } from "./accepts.ts";
export {
  type CompiledNet,
  compileNet,
  dense,
  fire,
  fireInPlace,
  isEnabled,
  sameMarking,
} from "./compiled.ts";
export { PetriNetFormatError } from "./errors.ts";
export { netFromJson, netToJson, type PetriNetJson } from "./json.ts";
export {
  type Arc,
  type Marking,
  netSize,
  type PetriNet,
  PetriNetBuilder,
  type Place,
  type Transition,
} from "./model.ts";
export {
  fromPnml,
  type MarkingEntry,
  PNML_NAMESPACE,
  type PnmlReadOptions,
  PTNET_TYPE,
  toPnml,
} from "./pnml.ts";
export { reduceSilent } from "./reduce.ts";
