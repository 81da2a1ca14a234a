"""Recall cases for Slack, chat platforms and email/SMS/realtime messaging APIs.

Bot tokens and webhook URLs leak through alerting configs (Alertmanager, Grafana, CI), bot
source code, Android resources and shell one-liners.
"""

from __future__ import annotations

from tests.corpus.recall import RecallCase
from tests.corpus.recall import _tokens as T
from tests.corpus.recall.gen import ALNUM, B64, B64URL, HEX, UPPER_ALNUM, rand

_DIGITS = "0123456789"
_BASE32_LOWER = "abcdefghijklmnopqrstuvwxyz234567"


def _uuid(seed: object) -> str:
    h = rand(HEX, 32, seed)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def _ids(seed: object, *sizes: int) -> str:
    return "-".join("1" + rand(_DIGITS, size - 1, (seed, i)) for i, size in enumerate(sizes))


_xoxb = f"xoxb-{_ids('m-xoxb', 12, 13)}-{rand(ALNUM, 24, 'm-xoxb-s')}"
_xoxp = f"xoxp-{_ids('m-xoxp', 12, 12, 13)}-{rand(HEX, 32, 'm-xoxp-s')}"
_xapp = f"xapp-1-A{rand(UPPER_ALNUM, 10, 'm-xapp1')}-{_ids('m-xapp', 13)}-{rand(HEX, 64, 'm-xapp2')}"
_xoxe_p = "xoxe.xoxp-1-" + rand(ALNUM, 166, "m-xoxe-p")
_xoxe = "xoxe-1-" + rand(ALNUM, 147, "m-xoxe")
_xoxs = f"xoxs-{_ids('m-xoxs', 10, 11, 12)}-{rand(HEX, 64, 'm-xoxs-s')}"
_xoxc = f"xoxc-{_ids('m-xoxc', 12, 12, 13)}-{rand(HEX, 64, 'm-xoxc-s')}"
_xoxd = "xoxd-" + rand(B64, 120, "m-xoxd") + "%3D"
_slack_hook = (f"hooks.slack.com/services/T{rand(UPPER_ALNUM, 10, 'm-hook1')}"
               f"/B{rand(UPPER_ALNUM, 10, 'm-hook2')}/{rand(ALNUM, 24, 'm-hook3')}")
_slack_trigger = (f"hooks.slack.com/triggers/T{rand(UPPER_ALNUM, 10, 'm-trig1')}"
                  f"/{_ids('m-trig', 13)}/{rand(HEX, 32, 'm-trig2')}")
_slack_signing = rand(HEX, 32, "m-slack-signing")

_discord_bot = T.discord_bot("m-discord")
_discord_hook = (f"https://discord.com/api/webhooks/{_ids('m-dhook', 19)}/"
                 f"{rand(B64URL, 68, 'm-dhook2')}")
_discord_secret = rand(B64URL, 32, "m-discord-secret")
_telegram = f"{_ids('m-tg', 10)}:AA{rand(B64URL, 33, 'm-tg2')}"
_teams_hook = (f"https://acme.webhook.office.com/webhookb2/{_uuid('t1')}@{_uuid('t2')}"
               f"/IncomingWebhook/{rand(HEX, 32, 't3')}/{_uuid('t4')}/V2{rand(B64URL, 44, 't5')}")
_teams_sig = rand(B64URL, 43, "m-teams-sig")
_teams_flow = (f"https://prod-61.westeurope.logic.azure.com:443/workflows/{rand(HEX, 32, 'tf')}"
               "/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun"
               f"&sv=1.0&sig={_teams_sig}")
_syt = T.synapse("syt_", "m-syt")
_mattermost = rand("abcdefghijklmnopqrstuvwxyz0123456789", 26, "m-mm")
_zulip = rand(ALNUM, 32, "m-zulip")

_twilio_sid = "AC" + rand(HEX, 32, "m-tw-ac")
_twilio_sk = "SK" + rand(HEX, 32, "m-tw-sk")
_twilio_secret = rand(ALNUM, 32, "m-tw-secret")
_twilio_token = rand(HEX, 32, "m-tw-token")
_sendgrid = f"SG.{rand(B64URL, 22, 'm-sg1')}.{rand(B64URL, 43, 'm-sg2')}"
_mailgun_key = "key-" + rand(HEX, 32, "m-mg")
_mailgun_new = f"{rand(HEX, 32, 'm-mgn1')}-{rand(HEX, 8, 'm-mgn2')}-{rand(HEX, 8, 'm-mgn3')}"
_mailchimp = rand(HEX, 32, "m-mc") + "-us14"
_mandrill = "md-" + rand(B64URL, 22, "m-md")
_postmark = _uuid("m-postmark")
_brevo = f"xkeysib-{rand(HEX, 64, 'm-brevo1')}-{rand(ALNUM, 16, 'm-brevo2')}"
_mailersend = "mlsn." + rand(HEX, 64, "m-mlsn")
_resend = f"re_{rand(ALNUM, 8, 'm-re1')}_{rand(ALNUM, 24, 'm-re2')}"
_sparkpost = rand(HEX, 40, "m-sparkpost")
_mailjet = rand(HEX, 32, "m-mailjet")
_vonage = rand(ALNUM, 16, "m-vonage")
_plivo = rand(ALNUM, 40, "m-plivo")
_telnyx = f"KEY{rand('0123456789ABCDEF', 32, 'm-telnyx1')}_{rand(ALNUM, 22, 'm-telnyx2')}"
_onesignal = "os_v2_app_" + rand(_BASE32_LOWER, 113, "m-onesignal")
_pusher = rand(HEX, 20, "m-pusher")
_ably = f"{rand(ALNUM, 6, 'm-ably1')}.{rand(ALNUM, 6, 'm-ably2')}:{rand(B64URL, 43, 'm-ably3')}"

CASES = [
    # Slack
    RecallCase("slack-bot-token-in-env", "slack", "slack.bot-token", ".env",
               f"SLACK_BOT_TOKEN={_xoxb}\nSLACK_CHANNEL=#deploys\n", _xoxb),
    RecallCase("slack-bot-token-in-python", "slack", "slack.bot-token", "bot/app.py",
               f'from slack_bolt import App\napp = App(token="{_xoxb}")\n', _xoxb),
    RecallCase("slack-user-token-in-json", "slack", "slack.user-token", "config/slack.json",
               f'{{"team": "acme", "user_token": "{_xoxp}"}}\n', _xoxp),
    RecallCase("slack-app-token-in-compose", "slack", "slack.app-token", "docker-compose.yml",
               f"services:\n  bot:\n    environment:\n      SLACK_APP_TOKEN: {_xapp}\n", _xapp),
    RecallCase("slack-config-token-in-shell", "slack", "slack.rotating-access-token",
               "scripts/manifest.sh",
               f"curl -X POST https://slack.com/api/apps.manifest.update -d token={_xoxe_p}\n",
               _xoxe_p),
    RecallCase("slack-refresh-token-in-yaml", "slack", "slack.refresh-token", "config/slack.yaml",
               f"slack:\n  refresh_token: {_xoxe}\n", _xoxe),
    RecallCase("slack-legacy-token-in-ini", "slack", "slack.legacy-token", "setup.cfg",
               f"[slack]\ntoken = {_xoxs}\n", _xoxs),
    RecallCase("slack-session-token-in-js", "slack", "slack.session-token", "scraper/index.js",
               f"const token = '{_xoxc}';\n", _xoxc),
    RecallCase("slack-d-cookie-in-env", "slack", "slack.session-cookie", ".env",
               f"SLACK_D_COOKIE={_xoxd}\n", _xoxd),
    RecallCase("slack-webhook-in-alertmanager", "slack", "slack.incoming-webhook",
               "monitoring/alertmanager.yml",
               f"receivers:\n  - name: ops\n    slack_configs:\n      - api_url: https://{_slack_hook}\n"
               "        channel: '#alerts'\n", _slack_hook),
    RecallCase("slack-webhook-in-terraform", "slack", "slack.incoming-webhook",
               "infra/alerts.tf",
               f'resource "grafana_contact_point" "slack" {{\n  slack {{\n    url = "https://{_slack_hook}"\n'
               "  }\n}\n", _slack_hook),
    RecallCase("slack-workflow-trigger-in-ci", "slack", "slack.workflow-webhook",
               ".github/workflows/notify.yml",
               f"      - run: curl -X POST https://{_slack_trigger} -d '{{\"status\":\"ok\"}}'\n",
               _slack_trigger),
    RecallCase("slack-signing-secret-in-env", "slack", "slack.app-secret", "bot/.env",
               f"SLACK_SIGNING_SECRET={_slack_signing}\n", _slack_signing),
    # chat
    RecallCase("discord-bot-token-in-python", "discord", "discord.bot-token", "bot/main.py",
               f"import discord\nclient = discord.Client(intents=intents)\nclient.run('{_discord_bot}')\n",
               _discord_bot),
    RecallCase("discord-bot-token-in-env", "discord", "discord.bot-token", ".env",
               f"DISCORD_TOKEN={_discord_bot}\n", _discord_bot),
    RecallCase("discord-webhook-in-json", "discord", "discord.webhook-url",
               "config/notify.json", f'{{"discord_webhook": "{_discord_hook}"}}\n', _discord_hook),
    RecallCase("discord-client-secret-in-yaml", "discord", "discord.client-secret",
               "config/oauth.yaml", f"discord_client_secret: {_discord_secret}\n", _discord_secret),
    RecallCase("telegram-token-in-strings-xml", "telegram", "telegram.bot-token",
               "app/src/main/res/values/strings.xml",
               '<?xml version="1.0" encoding="utf-8"?>\n<resources>\n'
               f'    <string name="telegram_bot_token">{_telegram}</string>\n</resources>\n',
               _telegram),
    RecallCase("telegram-token-in-curl", "telegram", "telegram.bot-token", "scripts/alert.sh",
               f'curl -s "https://api.telegram.org/bot{_telegram}/sendMessage" -d chat_id=42\n',
               _telegram),
    RecallCase("teams-webhook-in-jenkinsfile", "teams", "teams.incoming-webhook", "Jenkinsfile",
               f"office365ConnectorSend webhookUrl: '{_teams_hook}', message: 'done'\n",
               _teams_hook),
    RecallCase("teams-webhook-in-env", "teams", "teams.incoming-webhook", ".env",
               f"TEAMS_WEBHOOK_URL={_teams_hook}\n", _teams_hook),
    RecallCase("teams-workflow-in-yaml", "teams", "teams.workflow-webhook",
               "monitoring/notifications.yaml", f"teams:\n  url: \"{_teams_flow}\"\n", _teams_sig),
    RecallCase("matrix-token-in-config", "matrix", "matrix.access-token", "bot/config.yaml",
               f"homeserver: https://matrix.acme.test\naccess_token: {_syt}\n", _syt),
    RecallCase("mattermost-token-in-env", "mattermost", "mattermost.access-token", ".env",
               f"MATTERMOST_TOKEN={_mattermost}\n", _mattermost),
    RecallCase("zulip-key-in-zuliprc", "zulip", "zulip.api-key", ".zuliprc",
               f"[api]\nemail=ci-bot@acme.zulipchat.com\nkey={_zulip}\nsite=https://acme.zulipchat.com\n",
               _zulip),
    # email, SMS and realtime APIs
    RecallCase("twilio-sid-in-env", "twilio", "twilio.api-key-sid", ".env",
               f"TWILIO_ACCOUNT_SID={_twilio_sid}\nTWILIO_API_KEY={_twilio_sk}\n", _twilio_sk),
    RecallCase("twilio-api-secret-in-env", "twilio", "twilio.api-key-secret", ".env",
               f"TWILIO_API_KEY={_twilio_sk}\nTWILIO_API_SECRET={_twilio_secret}\n", _twilio_secret),
    RecallCase("twilio-key-pair-in-curl", "twilio", "twilio.api-key-secret", "scripts/sms.sh",
               f"curl -u {_twilio_sk}:{_twilio_secret} https://api.twilio.com/2010-04-01/Accounts.json\n",
               _twilio_secret),
    RecallCase("twilio-auth-token-in-strings-xml", "twilio", "twilio.auth-token",
               "app/src/main/res/values/secrets.xml",
               f'<resources>\n  <string name="twilio_auth_token">{_twilio_token}</string>\n</resources>\n',
               _twilio_token),
    RecallCase("twilio-account-pair-in-curl", "twilio", "twilio.account-credentials",
               "scripts/send.sh",
               f"curl https://api.twilio.com/2010-04-01/Accounts/{_twilio_sid}/Messages.json "
               f"-u {_twilio_sid}:{_twilio_token}\n", _twilio_token),
    RecallCase("sendgrid-key-in-node", "sendgrid", "sendgrid.api-key", "src/mail.js",
               f"sgMail.setApiKey('{_sendgrid}');\n", _sendgrid),
    RecallCase("sendgrid-key-in-k8s-secret", "sendgrid", "sendgrid.api-key", "k8s/secret.yaml",
               f"kind: Secret\nstringData:\n  SENDGRID_API_KEY: {_sendgrid}\n", _sendgrid),
    RecallCase("mailgun-key-in-curl", "mailgun", "mailgun.api-key", "scripts/mail.sh",
               f"curl -s --user 'api:{_mailgun_key}' https://api.mailgun.net/v3/mg.acme.test/messages\n",
               _mailgun_key),
    RecallCase("mailgun-new-key-in-env", "mailgun", "mailgun.private-api-key", ".env",
               f"MAILGUN_API_KEY={_mailgun_new}\nMAILGUN_DOMAIN=mg.acme.test\n", _mailgun_new),
    RecallCase("mailchimp-key-in-php", "mailchimp", "mailchimp.api-key", "src/Newsletter.php",
               f"$mailchimp->setConfig(['apiKey' => '{_mailchimp}', 'server' => 'us14']);\n",
               _mailchimp),
    RecallCase("mailchimp-key-in-env", "mailchimp", "mailchimp.api-key", ".env",
               f"MAILCHIMP_API_KEY={_mailchimp}\n", _mailchimp),
    RecallCase("mandrill-key-in-yaml", "mailchimp", "mandrill.api-key", "config/mail.yml",
               f"mandrill_api_key: {_mandrill}\n", _mandrill),
    RecallCase("postmark-token-in-rails-credentials", "postmark", "postmark.token",
               "config/environments/production.rb",
               f'config.action_mailer.postmark_settings = {{ api_token: "{_postmark}" }}\n',
               _postmark),
    RecallCase("postmark-token-in-curl", "postmark", "postmark.token", "scripts/test-mail.sh",
               f'curl https://api.postmarkapp.com/email -H "X-Postmark-Server-Token: {_postmark}"\n',
               _postmark),
    RecallCase("brevo-key-in-env", "brevo", "brevo.api-key", ".env",
               f"BREVO_API_KEY={_brevo}\n", _brevo),
    RecallCase("mailersend-token-in-python", "mailersend", "mailersend.api-token",
               "app/notify.py", f'mailer = emails.NewEmail("{_mailersend}")\n', _mailersend),
    RecallCase("resend-key-in-ts", "resend", "resend.api-key", "src/email.ts",
               f"const resend = new Resend('{_resend}');\n", _resend),
    RecallCase("sparkpost-key-in-env", "sparkpost", "sparkpost.api-key", ".env",
               f"SPARKPOST_API_KEY={_sparkpost}\n", _sparkpost),
    RecallCase("mailjet-secret-in-env", "mailjet", "mailjet.api-secret", ".env",
               f"MJ_APIKEY_PUBLIC=abc\nMJ_APIKEY_PRIVATE={_mailjet}\n", _mailjet),
    RecallCase("vonage-secret-in-json", "vonage", "vonage.api-secret", "config/sms.json",
               f'{{"vonage_api_key": "a1b2c3d4", "vonage_api_secret": "{_vonage}"}}\n', _vonage),
    RecallCase("plivo-token-in-env", "plivo", "plivo.auth-token", ".env",
               f"PLIVO_AUTH_ID=MA0000\nPLIVO_AUTH_TOKEN={_plivo}\n", _plivo),
    RecallCase("telnyx-key-in-env", "telnyx", "telnyx.api-key", ".env",
               f"TELNYX_API_KEY={_telnyx}\n", _telnyx),
    RecallCase("onesignal-key-in-env", "onesignal", "onesignal.api-key", ".env",
               f"ONESIGNAL_REST_API_KEY={_onesignal}\n", _onesignal),
    RecallCase("pusher-secret-in-env", "pusher", "pusher.app-secret", ".env",
               f"PUSHER_APP_ID=1\nPUSHER_APP_SECRET={_pusher}\n", _pusher),
    RecallCase("ably-key-in-js", "ably", "ably.api-key", "src/realtime.js",
               f"const ably = new Ably.Realtime('{_ably}');\n", _ably),
]
