/**
 * A minimal protobuf encoder (varints and length-delimited fields, https://protobuf.dev/programming-guides/encoding/)
 * so generators can write ONNX ModelProto bytes that the ONNX writer would refuse to produce:
 * dims claiming 10^12 elements, negative dims, external-data paths that leave the folder.
 */

export class ProtoWriter {
  private readonly out: number[] = [];

  varintField(field: number, value: number | bigint): this {
    this.tag(field, 0);
    this.varint(BigInt.asUintN(64, BigInt(value)));
    return this;
  }
  bytesField(field: number, bytes: Uint8Array): this {
    this.tag(field, 2);
    this.varint(BigInt(bytes.length));
    for (const b of bytes) this.out.push(b);
    return this;
  }
  stringField(field: number, text: string): this {
    return this.bytesField(field, new TextEncoder().encode(text));
  }
  messageField(field: number, message: ProtoWriter): this {
    return this.bytesField(field, message.bytes());
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }

  private tag(field: number, wire: number): void {
    this.varint(BigInt(field * 8 + wire));
  }
  private varint(v: bigint): void {
    do {
      const low = Number(v & 0x7fn);
      v >>= 7n;
      this.out.push(v > 0n ? low | 0x80 : low);
    } while (v > 0n);
  }
}
