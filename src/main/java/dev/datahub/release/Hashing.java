package dev.datahub.release;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 for chart and values fingerprints, as {@code sha256:<hex>}. */
public final class Hashing {

  private Hashing() {}

  public static String sha256(String text) {
    Digest d = digest();
    d.update(text);
    return d.hex();
  }

  static Digest digest() {
    try {
      return new Digest(MessageDigest.getInstance("SHA-256"));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static final class Digest {
    private final MessageDigest md;

    private Digest(MessageDigest md) {
      this.md = md;
    }

    void update(String text) {
      update(text.getBytes(StandardCharsets.UTF_8));
    }

    void update(byte[] bytes) {
      md.update(bytes);
      md.update((byte) 0);
    }

    String hex() {
      return "sha256:" + HexFormat.of().formatHex(md.digest());
    }
  }
}
