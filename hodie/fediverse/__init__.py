"""The fediverse: every collection is an ActivityPub actor (``@slug@host``) that people follow
from Mastodon and its kin. It posts the day's entries once a day and each article when it goes
live, delivers through the job queue with HTTP Signatures as Mastodon makes them, and takes
replies back as comments held for moderation."""
