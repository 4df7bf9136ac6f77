package dev.datahub.status;

import dev.datahub.output.ResultFiles;
import dev.datahub.Fix;
import dev.datahub.Wording;
import dev.datahub.Words;
import dev.datahub.log.Redactor;
import dev.datahub.log.StepLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One page for every hub: the reactor-wide {@code status} as a console table, Markdown ({@code status.md}, also
 * appended to {@code $GITHUB_STEP_SUMMARY}) and a self-contained HTML page ({@code status.html}: inline style, no
 * script, font or image from anywhere). Every text passes through the redactor, then is escaped for its format.
 */
public final class StatusReport {

  public static final String HTML_FILE = "status.html";
  public static final String MARKDOWN_FILE = "status.md";
  private static final Fix.Property RECOVER = Fix.property("datahub.recover", "true");

  private final Redactor redactor;
  private final String generatedAt;
  private final Wording wording;

  public StatusReport(Redactor redactor, String generatedAt) {
    this(redactor, generatedAt, Wording.NEUTRAL);
  }

  /** @param wording how the page names a setting (the Maven layer's: {@code -Ddatahub.…}) */
  public StatusReport(Redactor redactor, String generatedAt, Wording wording) {
    this.redactor = redactor;
    this.generatedAt = generatedAt;
    this.wording = wording;
  }

  /** Writes {@code status.html} and {@code status.md} into {@code dir}, prints the table, appends the Markdown. */
  public void write(List<HubStatus> hubs, Path dir, Path githubStepSummary, StepLog log) {
    StepLog out = redactor.wrap(log);
    table(hubs).forEach(out::info);
    ResultFiles.writeText(dir.resolve(HTML_FILE), html(hubs, dir));
    ResultFiles.writeText(dir.resolve(MARKDOWN_FILE), markdown(hubs));
    if (githubStepSummary != null) {
      ResultFiles.appendSummary(githubStepSummary, markdown(hubs));
    }
    out.info("Status page: " + dir.resolve(HTML_FILE));
  }

  // ---- console ----

  private static final String[] COLUMNS = {"HUB", "STAGING", "STAGING SMOKE", "PROD", "PROD SMOKE", "PROD VS STAGING",
      "DRIFT", "STUCK"};

  /** One line per hub under a header, columns aligned. */
  public List<String> table(List<HubStatus> hubs) {
    List<String[]> rows = new ArrayList<>();
    rows.add(COLUMNS);
    for (HubStatus h : hubs) {
      rows.add(cells(h).stream().map(redactor::redact).toArray(String[]::new));
    }
    int[] width = new int[COLUMNS.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : String.format(Locale.ROOT, "%-" + width[i] + "s  ", row[i]));
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  private static List<String> cells(HubStatus h) {
    EnvironmentState s = h.environment("staging");
    EnvironmentState p = h.environment("prod");
    return List.of(h.hub(), environmentCell(s), smokeCell(s), environmentCell(p), smokeCell(p), behindCell(h),
        h.drift() ? "DRIFT" : "-", h.stuck() ? "STUCK" : "-");
  }

  private static String environmentCell(EnvironmentState e) {
    if (e.unavailable() != null) {
      return "unavailable";
    }
    return e.state().toUpperCase(Locale.ROOT) + (e.installed() ? " r" + e.revision() + " "
        + shortDigest(e.imageDigest()) + " " + e.chart() : "");
  }

  private static String smokeCell(EnvironmentState e) {
    return e.lastSmoke() == null ? "-" : e.lastSmoke() + " " + shortTime(e.lastSmokeTime());
  }

  private static String behindCell(HubStatus h) {
    return h.prodBehind() == null ? "?" : h.prodBehind() ? "BEHIND" : "same";
  }

  // ---- Markdown ----

  public String markdown(List<HubStatus> hubs) {
    StringBuilder md = new StringBuilder("## DataHub status\n\n");
    md.append("| hub | staging | staging smoke | prod | prod smoke | prod vs staging | drift | stuck |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (HubStatus h : hubs) {
      md.append('|');
      for (String cell : cells(h)) {
        md.append(' ').append(mdCell(cell)).append(" |");
      }
      md.append('\n');
    }
    for (HubStatus h : hubs) {
      List<String> notes = new ArrayList<>();
      for (EnvironmentState e : h.environments()) {
        e.drift().forEach(d -> notes.add(e.environment() + " drift: " + d));
        if (e.unavailable() != null) {
          notes.add(e.environment() + " unavailable: " + e.unavailable());
        }
        if (e.stuck()) {
          notes.add(e.environment() + " is stuck in " + e.helmStatus() + " at revision " + e.revision()
              + Words.of(" — run with {}", RECOVER).in(wording));
        }
      }
      if (h.lastPromotion() != null) {
        notes.add("last promotion " + h.lastPromotion().record() + " at " + h.lastPromotion().time() + " ("
            + h.lastPromotion().outcome() + (h.lastPromotion().forced() ? ", FORCED by " + h.lastPromotion().forcedBy()
            + ": " + h.lastPromotion().forcedReason() : "") + "): " + (h.lastPromotionDiff().isEmpty() ? "no change"
            : String.join("; ", h.lastPromotionDiff())));
      }
      if (!notes.isEmpty()) {
        md.append("\n**").append(mdCell(h.hub())).append("**\n");
        notes.forEach(n -> md.append("- ").append(mdCell(n)).append('\n'));
      }
    }
    return redactor.redact(md.toString());
  }

  private String mdCell(String text) {
    return redactor.redact(text).replace("|", "\\|").replace("\n", " ");
  }

  // ---- HTML ----

  /** The page; links to smoke reports are relative to {@code pageDir}. */
  public String html(List<HubStatus> hubs, Path pageDir) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        .append("<title>DataHub status</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    h.append("<header><h1>DataHub status</h1><p class=\"meta\">").append(esc(hubs.size() + " hub"
        + (hubs.size() == 1 ? "" : "s") + " · generated " + generatedAt)).append("</p>\n<p class=\"legend\">");
    for (String[] l : LEGEND) {
      h.append("<span class=\"badge ").append(l[0]).append("\">").append(l[1]).append("</span> ");
    }
    h.append("</p></header>\n");
    overview(h, hubs);
    for (HubStatus hub : hubs) {
      section(h, hub, pageDir);
    }
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  private static final String[][] LEGEND = {{"ok", "passed"}, {"warn", "untested / drift / behind"},
      {"forced", "forced"}, {"rolled-back", "rolled back"}, {"fail", "failed"}, {"stuck", "stuck"},
      {"muted", "not installed / unavailable"}};

  private void overview(StringBuilder h, List<HubStatus> hubs) {
    h.append("<table class=\"overview\">\n<thead><tr>");
    for (String c : new String[] {"Hub", "Staging", "Staging smoke", "Prod", "Prod smoke", "Prod vs staging", "Drift",
        "Stuck"}) {
      h.append("<th>").append(c).append("</th>");
    }
    h.append("</tr></thead>\n<tbody>\n");
    for (HubStatus hub : hubs) {
      h.append("<tr data-hub=\"").append(esc(hub.hub())).append("\"><td><a href=\"#hub-").append(esc(hub.hub()))
          .append("\">").append(esc(hub.hub())).append("</a></td>");
      for (String env : HubStatusReader.ENVIRONMENTS) {
        EnvironmentState e = hub.environment(env);
        h.append("<td class=\"env\" data-environment=\"").append(env).append("\" data-state=\"").append(e.state())
            .append("\">").append(badge(e.tone(), e.state())).append(' ');
        if (e.installed()) {
          h.append("r").append(e.revision()).append(" <code>").append(esc(shortDigest(e.imageDigest())))
              .append("</code> ").append(esc(e.chart()));
        }
        h.append("</td><td>");
        if (e.lastSmoke() != null) {
          h.append(badge("passed".equals(e.lastSmoke()) ? "ok" : "fail", e.lastSmoke())).append(' ').append(time(
              e.lastSmokeTime()));
        } else {
          h.append("<span class=\"dim\">none</span>");
        }
        h.append("</td>");
      }
      h.append("<td data-behind=\"").append(hub.prodBehind()).append("\">")
          .append(hub.prodBehind() == null ? badge("muted", "unknown")
              : hub.prodBehind() ? badge("warn", "behind") : badge("ok", "same"))
          .append("</td><td>").append(hub.drift() ? badge("warn", "drift") : "<span class=\"dim\">none</span>")
          .append("</td><td>").append(hub.stuck() ? badge("stuck", "stuck") : "<span class=\"dim\">no</span>")
          .append("</td></tr>\n");
    }
    h.append("</tbody>\n</table>\n");
  }

  private void section(StringBuilder h, HubStatus hub, Path pageDir) {
    h.append("<section class=\"hub\" id=\"hub-").append(esc(hub.hub())).append("\" data-hub=\"").append(esc(hub.hub()))
        .append("\">\n<h2>").append(esc(hub.hub())).append("</h2>\n<div class=\"envs\">\n");
    for (EnvironmentState e : hub.environments()) {
      h.append("<div class=\"card tone-").append(e.tone()).append("\" data-environment=\"").append(esc(e.environment()))
          .append("\" data-state=\"").append(e.state()).append("\">\n<h3>").append(esc(e.environment())).append(' ')
          .append(badge(e.tone(), e.state())).append("</h3>\n<dl>\n");
      if (e.unavailable() != null) {
        dd(h, "unavailable", e.unavailable());
      } else {
        dd(h, "release", e.release() + " in namespace " + e.namespace());
        dd(h, "Helm", e.installed() ? "revision " + e.revision() + " " + e.helmStatus() : "not installed");
        if (e.stuck()) {
          dd(h, "stuck", Words.of("run with {} to return to the last deployed revision", RECOVER).in(wording));
        }
        if (e.installed()) {
          dd(h, "image", e.imageDigest());
          dd(h, "chart", e.chart());
        }
        dd(h, "last record", e.lastRecord() == null ? "none" : e.lastResult() + " (" + e.lastRecord() + ")");
        dd(h, "last smoke test", e.lastSmoke() == null ? "none" : e.lastSmoke() + " at " + e.lastSmokeTime() + " — "
            + e.lastSmokeSummary());
        e.drift().forEach(d -> dd(h, "drift", d));
        if (e.smokeReport() != null) {
          String href = pageDir.toAbsolutePath().normalize().relativize(Path.of(e.smokeReport()).toAbsolutePath()
              .normalize()).toString().replace('\\', '/');
          h.append("<dt>smoke report</dt><dd><a class=\"smoke-report\" href=\"").append(esc(href)).append("\">")
              .append(esc(href)).append("</a></dd>\n");
        }
      }
      h.append("</dl>\n</div>\n");
    }
    h.append("</div>\n");
    if (hub.prodBehind() != null && hub.prodBehind()) {
      h.append("<p class=\"note tone-warn\">prod is behind staging: it runs another image digest or chart</p>\n");
    }
    if (hub.lastPromotion() != null) {
      TimelineEvent p = hub.lastPromotion();
      h.append("<div class=\"promotion\"><h3>Last promotion ").append(badge(p.tone(), p.forced() ? "forced"
          : p.outcome())).append("</h3>\n<p class=\"meta\">").append(esc(p.record() + " at " + p.time()
          + (p.forced() ? " — forced by " + p.forcedBy() + ": " + p.forcedReason() : ""))).append("</p>\n")
          .append("<ul class=\"diff\">\n");
      if (hub.lastPromotionDiff().isEmpty()) {
        h.append("<li class=\"dim\">no change against what prod ran before</li>\n");
      }
      hub.lastPromotionDiff().forEach(l -> h.append("<li>").append(esc(l)).append("</li>\n"));
      h.append("</ul></div>\n");
    }
    List<TimelineEvent> events = hub.environments().stream().flatMap(e -> e.timeline().stream())
        .sorted(Comparator.comparing((TimelineEvent e) -> nullToDash(e.time())).reversed()).toList();
    h.append("<h3>Timeline</h3>\n<ol class=\"timeline\">\n");
    if (events.isEmpty()) {
      h.append("<li class=\"dim\">no deployment records</li>\n");
    }
    for (TimelineEvent e : events) {
      h.append("<li class=\"event tone-").append(e.tone()).append("\" data-environment=\"").append(esc(e.environment()))
          .append("\" data-kind=\"").append(esc(e.kind())).append("\" data-outcome=\"").append(esc(e.outcome()))
          .append("\" data-forced=\"").append(e.forced()).append("\">").append(time(e.time())).append(' ')
          .append("<b>").append(esc(e.environment())).append("</b> ").append(esc(label(e))).append(' ')
          .append(badge(e.tone(), e.forced() ? "forced" : e.outcome()));
      if (!e.verified()) {
        h.append(' ').append(badge("fail", "unverified record"));
      }
      h.append("<div class=\"detail\">").append(esc(describe(e))).append("</div></li>\n");
    }
    h.append("</ol>\n</section>\n");
  }

  private static String label(TimelineEvent e) {
    return switch (e.kind()) {
      case "smoke" -> "smoke test";
      case "promote" -> "promotion";
      default -> e.kind();
    };
  }

  private static String describe(TimelineEvent e) {
    List<String> parts = new ArrayList<>();
    if (!"smoke".equals(e.kind())) {
      parts.add("revision " + e.revision());
    }
    if (e.imageDigest() != null) {
      parts.add(("smoke".equals(e.kind()) ? "saw image " : "image ") + shortDigest(e.imageDigest()));
    }
    if (e.chart() != null) {
      parts.add("chart " + e.chart());
    }
    if (e.forced()) {
      parts.add("FORCED by " + e.forcedBy() + ": " + e.forcedReason());
    }
    if (e.detail() != null) {
      parts.add(e.detail());
    }
    parts.add("record " + e.record());
    return String.join(" · ", parts);
  }

  /** A {@code <time>} shown to the second; the full instant in its {@code datetime}. */
  private String time(String instant) {
    return "<time datetime=\"" + esc(instant) + "\">" + esc(shortTime(instant)) + "</time>";
  }

  /** {@code 2026-11-30 00:59:03Z} for {@code 2026-11-30T00:59:03.185822567Z}: to the second. */
  static String shortTime(String instant) {
    return instant == null ? "-" : instant.replaceFirst(
        "^(\\d{4}-\\d\\d-\\d\\d)T(\\d\\d:\\d\\d:\\d\\d)(\\.\\d+)?Z$", "$1 $2Z");
  }

  private void dd(StringBuilder h, String term, String value) {
    h.append("<dt>").append(esc(term)).append("</dt><dd>").append(esc(value)).append("</dd>\n");
  }

  private static String badge(String tone, String text) {
    return "<span class=\"badge " + tone + "\">" + escape(text) + "</span>";
  }

  private String esc(String text) {
    return escape(redactor.redact(text == null ? "-" : text));
  }

  private static String escape(String text) {
    return (text == null ? "-" : text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;").replace("'", "&#39;");
  }

  static String shortDigest(String digest) {
    if (digest == null) {
      return "-";
    }
    int colon = digest.indexOf(':');
    String hex = colon >= 0 ? digest.substring(colon + 1) : digest;
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }

  private static String nullToDash(String s) {
    return s == null ? "-" : s;
  }


  private static final String CSS = """
      :root { --ok: #1a7f37; --warn: #9a6700; --fail: #cf222e; --forced: #bc4c00; --rolled: #6639ba; --stuck: #a40e26;
        --muted: #6e7781; --line: #d0d7de; }
      body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 1.5rem; color: #1f2328;
        background: #f6f8fa; }
      h1 { margin: 0 0 .2rem; font-size: 1.6rem; }
      h2 { margin: 0 0 .6rem; font-size: 1.3rem; }
      h3 { font-size: 1rem; margin: .6rem 0 .4rem; }
      .meta, .dim { color: var(--muted); }
      code { font-size: .85em; }
      table.overview { border-collapse: collapse; background: #fff; margin: 1rem 0 1.5rem; width: 100%; }
      table.overview th, table.overview td { border: 1px solid var(--line); padding: .35rem .6rem; text-align: left;
        vertical-align: top; font-size: .9rem; }
      table.overview th { background: #eaeef2; }
      table.overview td:first-child { white-space: nowrap; font-weight: 600; }
      .badge { display: inline-block; border-radius: 1em; padding: 0 .6em; color: #fff; font-size: .8rem;
        font-weight: 600; line-height: 1.5; }
      .badge.ok { background: var(--ok); } .badge.warn { background: var(--warn); }
      .badge.fail { background: var(--fail); } .badge.forced { background: var(--forced); }
      .badge.rolled-back { background: var(--rolled); } .badge.stuck { background: var(--stuck); }
      .badge.muted { background: var(--muted); }
      section.hub { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.2rem;
        margin-bottom: 1.2rem; }
      .envs { display: flex; gap: 1rem; flex-wrap: wrap; }
      .card { flex: 1 1 22rem; border: 1px solid var(--line); border-left: 6px solid var(--muted); border-radius: 6px;
        padding: .2rem .8rem .6rem; }
      .card.tone-ok { border-left-color: var(--ok); } .card.tone-warn { border-left-color: var(--warn); }
      .card.tone-fail { border-left-color: var(--fail); } .card.tone-forced { border-left-color: var(--forced); }
      .card.tone-rolled-back { border-left-color: var(--rolled); } .card.tone-stuck { border-left-color: var(--stuck); }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .8rem; margin: 0; font-size: .88rem; }
      dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
      .note { padding: .3rem .6rem; border-radius: 4px; background: #fff8c5; }
      ul.diff { font-family: ui-monospace, monospace; font-size: .85rem; margin: .2rem 0; }
      ol.timeline { list-style: none; padding-left: 1rem; border-left: 2px solid var(--line); margin: .4rem 0; }
      ol.timeline li { position: relative; margin: 0 0 .6rem .6rem; font-size: .9rem; }
      ol.timeline li.event::before { content: ""; position: absolute; left: -1.45rem; top: .3rem; width: .7rem;
        height: .7rem; border-radius: 50%; background: var(--muted); }
      li.tone-ok::before { background: var(--ok) !important; } li.tone-fail::before { background: var(--fail) !important; }
      li.tone-forced::before { background: var(--forced) !important; }
      li.tone-rolled-back::before { background: var(--rolled) !important; }
      time { font-family: ui-monospace, monospace; font-size: .82rem; color: var(--muted); }
      .detail { color: #424a53; font-size: .82rem; overflow-wrap: anywhere; }
      """;
}
