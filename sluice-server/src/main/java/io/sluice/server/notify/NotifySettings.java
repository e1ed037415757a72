package io.sluice.server.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code [notify]} section of {@code sluice.toml}: when to tell, and where (a webhook, e-mail), with the
 * SMTP credentials from the environment ({@value #SMTP_USER_VARIABLE}, {@value #SMTP_PASSWORD_VARIABLE}).
 *
 * <pre>
 * [notify]
 * on = ["failure", "recovery"]          # default ["failure"]; also "success"
 * server_url = "http://host:8082/"      # links to the run's page
 * [notify.webhook]
 * url = "https://hooks.slack.com/services/..."
 * [notify.email]
 * smtp_host = "smtp.example.com"
 * smtp_port = 587                       # default 25
 * starttls = true                       # default false
 * from = "sluice@example.com"
 * to = ["team@example.com"]
 * </pre>
 *
 * @param on the events that are told
 * @param serverUrl the base of links to run pages, or null
 * @param webhook the webhook's address, or null
 * @param email where e-mail goes, or null
 */
public record NotifySettings(Set<NotifyEvent> on, URI serverUrl, URI webhook, Email email) {

  /** The variable that holds the SMTP user name, when the server wants one. */
  public static final String SMTP_USER_VARIABLE = "SLUICE_SMTP_USER";

  /** The variable that holds the SMTP password. */
  public static final String SMTP_PASSWORD_VARIABLE = "SLUICE_SMTP_PASSWORD";

  private static final Set<String> KEYS = new TreeSet<>(Set.of("on", "server_url", "webhook", "email"));
  private static final Set<String> WEBHOOK_KEYS = new TreeSet<>(Set.of("url"));
  private static final Set<String> EMAIL_KEYS = new TreeSet<>(Set.of("smtp_host", "smtp_port", "starttls", "from",
      "to"));

  /** Where e-mail goes and how. */
  public record Email(String host, int port, boolean starttls, String from, List<String> to, String user,
      String password) {

    public Email {
      to = List.copyOf(to);
    }

    @Override
    public String toString() {
      return "Email[" + host + ":" + port + ", from " + from + ", to " + to + (user == null ? "" : ", as " + user) + "]";
    }
  }

  /** Whether anything is to be told anywhere. */
  public boolean any() {
    return !on.isEmpty() && (webhook != null || email != null);
  }

  /**
   * Reads the section ({@code [notify]}, empty when absent).
   *
   * @param where the file, for messages
   * @throws IllegalArgumentException naming the key and the value that are wrong
   */
  public static NotifySettings parse(Map<String, Object> section, Map<String, String> environment, String where) {
    String at = where + ": [notify] ";
    checkKeys(section, KEYS, at);
    Set<NotifyEvent> on = EnumSet.noneOf(NotifyEvent.class);
    Object events = section.getOrDefault("on", List.of("failure"));
    if (!(events instanceof List<?> list)) {
      throw new IllegalArgumentException(at + "on = " + events + " is not a list; write it as on = [\"failure\"]");
    }
    for (Object event : list) {
      try {
        on.add(NotifyEvent.valueOf(String.valueOf(event).toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + "on has \"" + event + "\", which is not one of \"failure\", \"success\","
            + " \"recovery\"");
      }
    }
    URI serverUrl = uri(section.get("server_url"), at + "server_url");
    URI webhook = null;
    Map<?, ?> hook = table(section.get("webhook"), where + ": [notify.webhook] ");
    if (hook != null) {
      checkKeys(hook, WEBHOOK_KEYS, where + ": [notify.webhook] ");
      webhook = uri(hook.get("url"), where + ": [notify.webhook] url");
      if (webhook == null) {
        throw new IllegalArgumentException(where + ": [notify.webhook] has no url; give one such as"
            + " url = \"https://hooks.slack.com/services/...\"");
      }
    }
    Email email = null;
    String mailAt = where + ": [notify.email] ";
    Map<?, ?> mail = table(section.get("email"), mailAt);
    if (mail != null) {
      checkKeys(mail, EMAIL_KEYS, mailAt);
      Object host = mail.get("smtp_host");
      Object from = mail.get("from");
      Object port = mail.get("smtp_port") != null ? mail.get("smtp_port") : (Object) 25L;
      Object starttls = mail.get("starttls") != null ? mail.get("starttls") : (Object) Boolean.FALSE;
      Object to = mail.get("to");
      if (!(host instanceof String) || !(from instanceof String)) {
        throw new IllegalArgumentException(mailAt + "needs smtp_host and from as strings, such as"
            + " smtp_host = \"smtp.example.com\" and from = \"sluice@example.com\"");
      }
      if (!(port instanceof Number number) || number.intValue() < 1 || number.intValue() > 65535) {
        throw new IllegalArgumentException(mailAt + "smtp_port = " + port + " is not a port from 1 to 65535");
      }
      if (!(starttls instanceof Boolean tls)) {
        throw new IllegalArgumentException(mailAt + "starttls = " + starttls + " is not true or false");
      }
      List<String> recipients = new ArrayList<>();
      if (to instanceof String one) {
        recipients.add(one);
      } else if (to instanceof List<?> many && !many.isEmpty() && many.stream().allMatch(String.class::isInstance)) {
        many.forEach(address -> recipients.add((String) address));
      } else {
        throw new IllegalArgumentException(mailAt + "to = " + to + " is not a list of addresses; write it as"
            + " to = [\"team@example.com\"]");
      }
      email = new Email((String) host, number.intValue(), tls, (String) from, recipients,
          environment.get(SMTP_USER_VARIABLE), environment.get(SMTP_PASSWORD_VARIABLE));
    }
    return new NotifySettings(on, serverUrl, webhook, email);
  }

  private static Map<?, ?> table(Object value, String at) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(at.trim() + " is a plain value; write it as a table");
    }
    return map;
  }

  private static void checkKeys(Map<?, ?> values, Set<String> keys, String at) {
    for (Object key : values.keySet()) {
      if (!keys.contains(String.valueOf(key))) {
        throw new IllegalArgumentException(at + "has an unknown key '" + key + "'; the keys are "
            + String.join(", ", keys));
      }
    }
  }

  private static URI uri(Object value, String at) {
    if (value == null) {
      return null;
    }
    try {
      URI uri = new URI(String.valueOf(value));
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new URISyntaxException(String.valueOf(value), "not an http or https address");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(at + " = \"" + value + "\" is not an http:// or https:// address");
    }
  }
}
