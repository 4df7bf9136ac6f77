package dev.datahub.maven;

import dev.datahub.DataHubException;
import dev.datahub.smoke.Notebook;
import dev.datahub.smoke.SmokeCheck;
import dev.datahub.smoke.SmokeSpec;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code <smokeTest>} block. Every field can also be given as {@code -Ddatahub.smoke.<field>};
 * such a {@code -D} value wins over the pom, so CI can point the same build at another hub. Lists are
 * comma-separated there, {@code userOptions} is {@code key=value,key=value}. Checks are pom-only.
 */
public class SmokeTestConfiguration {

  /** One {@code <check>}: Python code and an optional regular expression its output must contain. */
  public static class CheckConfig {
    String name;
    String code;
    String expect;

    public CheckConfig() {}

    public CheckConfig(String name, String code, String expect) {
      this.name = name;
      this.code = code;
      this.expect = expect;
    }
  }

  public static final String PREFIX = "datahub.smoke.";
  public static final String DEFAULT_TOKEN_ENV = "DATAHUB_HUB_TOKEN";

  String hubUrl;
  String tokenServerId;
  String tokenEnv;
  String user;
  List<String> imports;
  List<CheckConfig> checks;
  List<File> notebooks;
  Map<String, String> userOptions;
  String spawnTimeout;
  String executionTimeout;
  String totalTimeout;
  String cleanupTimeout;
  Boolean keepServerOnFailure;
  String expectedImage;
  Boolean requireImageMatch;
  List<String> allowInsecureHubs;

  /**
   * The validated spec.
   *
   * @param property {@code datahub.smoke.*} overrides (null when unset)
   * @param baseDir notebooks are resolved against it
   * @param environment recorded in the result
   * @param defaultHubUrl the environment's hub URL, used when no hubUrl is set here; may be null
   * @param builtImage the image in target/datahub/image.json, used when no expectedImage is set; may be null
   */
  SmokeSpec toSpec(Function<String, String> property, Path baseDir, String environment, String defaultHubUrl,
      String builtImage) {
    String url = text(property, "hubUrl", hubUrl);
    if (url == null && defaultHubUrl != null && !defaultHubUrl.isBlank()) {
      url = defaultHubUrl.strip();
    }
    List<String> importList = list(property, "imports", imports);
    List<SmokeCheck> checkList = new ArrayList<>();
    if (checks != null) {
      for (CheckConfig c : checks) {
        checkList.add(SmokeCheck.of(c.name == null || c.name.isBlank() ? null : c.name, c.code, c.expect));
      }
    }
    List<String> notebookPaths = property.apply(PREFIX + "notebooks") != null
        ? split(property.apply(PREFIX + "notebooks"))
        : notebooks == null ? List.of() : notebooks.stream().map(File::getPath).toList();
    List<Notebook> notebookList = notebookPaths.stream().map(p -> Notebook.read(baseDir.resolve(p))).toList();
    Map<String, Object> options = new LinkedHashMap<>();
    String optionsProperty = property.apply(PREFIX + "userOptions");
    if (optionsProperty != null) {
      for (String pair : split(optionsProperty)) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new DataHubException("-D" + PREFIX + "userOptions entry '" + pair + "' is not key=value — e.g. profile=gpu,image=…");
        }
        options.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
      }
    } else if (userOptions != null) {
      options.putAll(userOptions);
    }
    String image = text(property, "expectedImage", expectedImage);
    return new SmokeSpec(
        environment,
        SmokeSpec.hubUrl(url),
        text(property, "user", user),
        importList,
        checkList,
        notebookList,
        options,
        SmokeSpec.duration("spawnTimeout", text(property, "spawnTimeout", spawnTimeout)),
        SmokeSpec.duration("executionTimeout", text(property, "executionTimeout", executionTimeout)),
        SmokeSpec.duration("totalTimeout", text(property, "totalTimeout", totalTimeout)),
        SmokeSpec.duration("cleanupTimeout", text(property, "cleanupTimeout", cleanupTimeout)),
        bool(property, "keepServerOnFailure", keepServerOnFailure, false),
        image != null ? image : builtImage,
        bool(property, "requireImageMatch", requireImageMatch, true),
        list(property, "allowInsecureHubs", allowInsecureHubs));
  }

  String tokenServerId(Function<String, String> property) {
    return text(property, "tokenServerId", tokenServerId);
  }

  String tokenEnv(Function<String, String> property) {
    String env = text(property, "tokenEnv", tokenEnv);
    return env == null ? DEFAULT_TOKEN_ENV : env;
  }

  private static String text(Function<String, String> property, String name, String configured) {
    String p = property.apply(PREFIX + name);
    String v = p != null ? p : configured;
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static List<String> list(Function<String, String> property, String name, List<String> configured) {
    String p = property.apply(PREFIX + name);
    if (p != null) {
      return split(p);
    }
    return configured == null ? List.of() : configured.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static boolean bool(Function<String, String> property, String name, Boolean configured, boolean fallback) {
    String p = property.apply(PREFIX + name);
    if (p != null) {
      if (!p.equalsIgnoreCase("true") && !p.equalsIgnoreCase("false")) {
        throw new DataHubException("-D" + PREFIX + name + "=" + p + " is not true or false");
      }
      return Boolean.parseBoolean(p);
    }
    return configured != null ? configured : fallback;
  }

  private static List<String> split(String csv) {
    return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
