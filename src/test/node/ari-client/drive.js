// Drives an ARI server with the Node.js ari-client: loads the api-docs, opens the events
// WebSocket (api_key), originates a call, answers it on StasisStart, plays a sound, reads a
// channel variable and hangs up. Prints one JSON line with what it saw; exits non-zero on any
// error, including an event type the server's events api-docs do not define.
// Usage: node drive.js <base-url> <user> <password> <app>
'use strict';

const ari = require('ari-client');

const [url, user, password, app] = process.argv.slice(2);
const seen = [];
const result = { events: seen };

function fail(what, error) {
  console.log(JSON.stringify({ error: what + ': ' + (error && (error.message || error)) }));
  process.exit(2);
}

process.on('uncaughtException', (e) => fail('uncaught', e));
process.on('unhandledRejection', (e) => fail('unhandled', e));
setTimeout(() => fail('timeout', 'no ChannelDestroyed within 20 s; saw ' + seen.join(',')), 20000).unref();

ari.connect(url, user, password).then((client) => {
  result.resources = Object.keys(client._swagger.apis).sort();
  client.on('*', (event) => seen.push(event.type));

  client.on('StasisStart', (event, channel) => {
    result.args = event.args;
    result.state = channel.state;
    channel.answer()
      .then(() => channel.play({ media: 'sound:hello-world' }, client.Playback()))
      .then((playback) => { result.playback = playback.state; })
      .catch((e) => fail('answer/play', e));
  });

  client.on('PlaybackFinished', (event, playback) => {
    const channelId = playback.target_uri.replace('channel:', '');
    client.channels.getChannelVar({ channelId, variable: 'AMDSTATUS' })
      .then((variable) => { result.amd = variable.value; })
      .then(() => client.channels.get({ channelId: 'no-such-channel' }))
      .then(() => fail('get', 'an unknown channel was found'),
            (e) => { result.unknown = e.message; })
      .then(() => client.channels.hangup({ channelId }))
      .catch((e) => fail('hangup', e));
  });

  client.on('ChannelDestroyed', (event) => {
    result.cause = event.cause;
    result.cause_txt = event.cause_txt;
    console.log(JSON.stringify(result));
    client.stop();
    process.exit(0);
  });

  return client.start(app).then(() => client.channels.originate({
    endpoint: 'PJSIP/+15550100@trunk',
    app,
    appArgs: 'node',
    callerId: 'Herald <+15559999>',
    variables: { variables: { AMD_ENABLED: 'true' } },
  })).then((channel) => { result.originated = channel.state; });
}).catch((e) => fail('connect', e));
