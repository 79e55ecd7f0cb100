import { BinaryReader } from '@bufbuild/protobuf/wire';
import { status, type ServerDuplexStream } from '@grpc/grpc-js';
import { FileDescriptorProto, type DescriptorProto, type EnumDescriptorProto } from '@funshop/proto/google/protobuf/descriptor';
import * as v1 from '@funshop/proto/grpc/reflection/v1/reflection';
import * as v1alpha from '@funshop/proto/grpc/reflection/v1alpha/reflection';

/**
 * gRPC server reflection (v1 and v1alpha, for grpcurl and ghz) answered straight from the
 * descriptor set `buf build` wrote: each file is served byte for byte as compiled, comments and
 * custom options included, with its dependencies.
 *
 * Why not `@grpc/reflection` (the kept library, which we use for its .proto files): it serves the
 * descriptors `@grpc/proto-loader` rebuilds through protobufjs (`root.toDescriptor('proto3')`),
 * which drops the source info, so `grpcurl describe` would lose every comment of the contracts,
 * and this project's contracts are meant to be read that way (tests/src/grpcurl.test.ts).
 */
export class DescriptorIndex {
  private readonly files = new Map<string, { bytes: Buffer; dependencies: string[] }>();
  private readonly symbols = new Map<string, string>();
  private readonly extensions = new Map<string, Map<number, string>>();

  constructor(descriptorSet: Uint8Array) {
    const reader = new BinaryReader(descriptorSet);
    while (reader.pos < reader.len) {
      const [field, wireType] = reader.tag();
      if (field !== 1) {
        reader.skip(wireType);
        continue;
      }
      const bytes = Buffer.from(reader.bytes());
      this.addFile(bytes, FileDescriptorProto.decode(bytes));
    }
  }

  /** A file and everything it imports, the file itself first. */
  fileWithDependencies(fileName: string): Buffer[] | undefined {
    if (!this.files.has(fileName)) return undefined;
    const ordered: string[] = [];
    const visit = (name: string) => {
      if (ordered.includes(name) || !this.files.has(name)) return;
      ordered.push(name);
      this.files.get(name)!.dependencies.forEach(visit);
    };
    visit(fileName);
    return ordered.map((name) => this.files.get(name)!.bytes);
  }

  fileDefining(symbol: string): string | undefined {
    return this.symbols.get(symbol.replace(/^\./, ''));
  }

  fileExtending(typeName: string, number: number): string | undefined {
    return this.extensions.get(typeName.replace(/^\./, ''))?.get(number);
  }

  extensionNumbersOf(typeName: string): number[] {
    return [...(this.extensions.get(typeName.replace(/^\./, ''))?.keys() ?? [])];
  }

  private addFile(bytes: Buffer, file: FileDescriptorProto): void {
    const fileName = file.name ?? '';
    this.files.set(fileName, { bytes, dependencies: file.dependency });
    const prefix = file.package ? `${file.package}.` : '';
    const define = (name: string) => this.symbols.set(name, fileName);
    const defineEnum = (scope: string, enumType: EnumDescriptorProto) => define(scope + enumType.name);
    const defineMessage = (scope: string, message: DescriptorProto) => {
      const name = scope + message.name;
      define(name);
      message.nestedType.forEach((nested) => defineMessage(`${name}.`, nested));
      message.enumType.forEach((nested) => defineEnum(`${name}.`, nested));
      message.extension.forEach((extension) => this.addExtension(`${name}.${extension.name}`, extension, fileName));
    };
    file.messageType.forEach((message) => defineMessage(prefix, message));
    file.enumType.forEach((enumType) => defineEnum(prefix, enumType));
    for (const service of file.service) {
      define(prefix + service.name);
      service.method.forEach((method) => define(`${prefix}${service.name}.${method.name}`));
    }
    file.extension.forEach((extension) => this.addExtension(prefix + extension.name, extension, fileName));
  }

  private addExtension(name: string, extension: { extendee?: string; number?: number }, fileName: string): void {
    this.symbols.set(name, fileName);
    const extendee = (extension.extendee ?? '').replace(/^\./, '');
    if (!this.extensions.has(extendee)) this.extensions.set(extendee, new Map());
    this.extensions.get(extendee)!.set(extension.number ?? 0, fileName);
  }
}

type Request = v1.ServerReflectionRequest;
type Response = v1.ServerReflectionResponse;

export const REFLECTION_SERVICES = ['grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection'];

export function reflectionDefinitions() {
  return [v1.ServerReflectionService, v1alpha.ServerReflectionService];
}

/** The bidirectional-stream handler, shared by both protocol versions (their messages are identical). */
export function reflectionHandler(index: DescriptorIndex, serviceNames: () => string[]) {
  return (call: ServerDuplexStream<Request, Response>) => {
    call.on('data', (request: Request) => call.write(answer(index, serviceNames(), request)));
    call.on('end', () => call.end());
    call.on('error', () => undefined);
  };
}

function answer(index: DescriptorIndex, serviceNames: string[], request: Request): Response {
  const base = { validHost: request.host, originalRequest: request };
  const files = (fileName: string | undefined, what: string): Response => {
    const found = fileName === undefined ? undefined : index.fileWithDependencies(fileName);
    return found
      ? { ...base, fileDescriptorResponse: { fileDescriptorProto: found } }
      : { ...base, errorResponse: { errorCode: status.NOT_FOUND, errorMessage: `${what} not found` } };
  };

  if (request.listServices !== undefined) {
    return { ...base, listServicesResponse: { service: serviceNames.map((name) => ({ name })) } };
  }
  if (request.fileByFilename !== undefined) return files(request.fileByFilename, `file ${request.fileByFilename}`);
  if (request.fileContainingSymbol !== undefined) {
    return files(index.fileDefining(request.fileContainingSymbol), `symbol ${request.fileContainingSymbol}`);
  }
  if (request.fileContainingExtension !== undefined) {
    const { containingType, extensionNumber } = request.fileContainingExtension;
    return files(index.fileExtending(containingType, extensionNumber), `extension ${containingType}(${extensionNumber})`);
  }
  if (request.allExtensionNumbersOfType !== undefined) {
    const typeName = request.allExtensionNumbersOfType;
    if (!index.fileDefining(typeName)) {
      return { ...base, errorResponse: { errorCode: status.NOT_FOUND, errorMessage: `type ${typeName} not found` } };
    }
    return { ...base, allExtensionNumbersResponse: { baseTypeName: typeName, extensionNumber: index.extensionNumbersOf(typeName) } };
  }
  return { ...base, errorResponse: { errorCode: status.INVALID_ARGUMENT, errorMessage: 'empty reflection request' } };
}
