package dev.datahub.release;

import dev.datahub.DataHubException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The namespace's HMAC key, kept in the Secret {@value #SECRET} (created with 32 random bytes on first use, never
 * printed). It keys the fingerprint of the secret values (a bare hash would be an offline guessing oracle) and signs
 * the deployment records, so that whoever may edit ConfigMaps but not read this Secret cannot forge a smoke verdict.
 */
public final class RecordKey {

  public static final String SECRET = "datahub-record-key";
  static final String DATA_KEY = "hmac-sha256-key";
  private static final String PREFIX = "hmac-sha256:";

  private final byte[] key;

  private RecordKey(byte[] key) {
    this.key = key.clone();
  }

  /** A key not kept anywhere, for tests and for offline use. */
  public static RecordKey of(byte[] key) {
    return new RecordKey(key);
  }

  /** Reads the namespace's key, creating it on first use; a concurrent creator's key wins. */
  public static RecordKey load(KubernetesClient client, String namespace) {
    return load(client, namespace, true).orElseThrow();
  }

  /** Reads the namespace's key without creating it (for read-only goals such as plan). */
  public static java.util.Optional<RecordKey> find(KubernetesClient client, String namespace) {
    return load(client, namespace, false);
  }

  private static java.util.Optional<RecordKey> load(KubernetesClient client, String namespace, boolean create) {
    try {
      Secret existing = client.secrets().inNamespace(namespace).withName(SECRET).get();
      if (existing == null && !create) {
        return java.util.Optional.empty();
      }
      if (existing == null) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        Secret secret = new SecretBuilder().withNewMetadata().withName(SECRET).withNamespace(namespace)
            .addToLabels(DeploymentRecords.MANAGED_BY, DeploymentRecords.PLUGIN).endMetadata().withType("Opaque")
            .addToData(DATA_KEY, Base64.getEncoder().encodeToString(fresh)).build();
        try {
          client.secrets().inNamespace(namespace).resource(secret).create();
          return java.util.Optional.of(new RecordKey(fresh));
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw e;
          }
          existing = client.secrets().inNamespace(namespace).withName(SECRET).get();
        }
      }
      String encoded = existing == null || existing.getData() == null ? null : existing.getData().get(DATA_KEY);
      if (encoded == null) {
        throw new DataHubException("Secret " + SECRET + " in namespace " + namespace + " has no " + DATA_KEY
            + " — delete it (kubectl delete secret " + SECRET + " -n " + namespace + "); the plugin creates a new key, "
            + "and staging must then be deployed and smoke-tested again");
      }
      byte[] key = Base64.getDecoder().decode(encoded);
      if (key.length < 32) {
        throw new DataHubException("Secret " + SECRET + " in namespace " + namespace + " holds a key shorter than 32 "
            + "bytes — delete it so that the plugin creates a proper one");
      }
      return java.util.Optional.of(new RecordKey(key));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 401 || e.getCode() == 403) {
        throw new DataHubException("not allowed to read or create Secret " + SECRET + " in namespace " + namespace
            + " (HTTP " + e.getCode() + ") — grant the deploying identity get/create on that secret "
            + "(see docs/release.md, RBAC)");
      }
      throw e;
    }
  }

  /** {@code hmac-sha256:<hex>} of {@code purpose} and {@code text}: purposes never collide. */
  public String hmac(String purpose, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(purpose.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return PREFIX + HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time comparison of a stored HMAC with a freshly computed one. */
  public boolean verify(String purpose, String text, String expected) {
    if (expected == null) {
      return false;
    }
    return MessageDigest.isEqual(hmac(purpose, text).getBytes(StandardCharsets.UTF_8),
        expected.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "RecordKey(****)";
  }
}
