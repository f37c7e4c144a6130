import { Injectable, Logger } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
import { AppConfig } from '@hallwatch/config';

export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

/** Outgoing e-mail over SMTP_URL. Throws when mail is not configured, so the job fails visibly. */
@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);
  private transporter?: Transporter;

  constructor(private readonly config: AppConfig) {}

  async send(message: MailMessage): Promise<void> {
    const url = this.config.get('SMTP_URL');
    if (!url) throw new Error('SMTP_URL is not set: cannot send e-mail');
    this.transporter ??= nodemailer.createTransport(url);
    const info = await this.transporter.sendMail({ from: this.config.get('SMTP_FROM'), ...message });
    this.logger.log(`mail ${info.messageId} to ${message.to.join(', ')}: ${message.subject}`);
  }
}
