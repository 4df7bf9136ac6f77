package dev.datahub.python;

/** A PEP 425 compatibility tag: interpreter, ABI, platform, e.g. {@code cp311-cp311-manylinux_2_17_x86_64}. */
public record WheelTag(String interpreter, String abi, String platform) {

  @Override
  public String toString() {
    return interpreter + "-" + abi + "-" + platform;
  }
}
