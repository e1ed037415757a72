package io.sluice.server.notify;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;

/** Sends a plain-text e-mail through an SMTP server (Jakarta Mail, Eclipse Angus). */
final class EmailChannel {

  private final NotifySettings.Email email;
  private final Session session;

  EmailChannel(NotifySettings.Email email, Duration timeout) {
    this.email = email;
    Properties properties = new Properties();
    properties.setProperty("mail.smtp.host", email.host());
    properties.setProperty("mail.smtp.port", String.valueOf(email.port()));
    properties.setProperty("mail.smtp.connectiontimeout", String.valueOf(timeout.toMillis()));
    properties.setProperty("mail.smtp.timeout", String.valueOf(timeout.toMillis()));
    properties.setProperty("mail.smtp.writetimeout", String.valueOf(timeout.toMillis()));
    if (email.starttls()) {
      properties.setProperty("mail.smtp.starttls.enable", "true");
      properties.setProperty("mail.smtp.starttls.required", "true");
    }
    Authenticator authenticator = null;
    if (email.user() != null) {
      properties.setProperty("mail.smtp.auth", "true");
      authenticator = new Authenticator() {
        @Override
        protected PasswordAuthentication getPasswordAuthentication() {
          return new PasswordAuthentication(email.user(), email.password() == null ? "" : email.password());
        }
      };
    }
    this.session = Session.getInstance(properties, authenticator);
  }

  void send(String subject, String text) throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress(email.from()));
    for (String to : email.to()) {
      message.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
    }
    message.setSubject(subject, StandardCharsets.UTF_8.name());
    message.setText(text, StandardCharsets.UTF_8.name());
    message.setSentDate(new Date());
    Transport.send(message);
  }
}
