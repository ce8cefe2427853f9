-- The latest call recording of a conversation, kept beside the last-message preview so a
-- list or table row can offer a play button without reading the messages.
ALTER TABLE conversations ADD COLUMN last_recording_url TEXT;
UPDATE conversations SET last_recording_url = (
    SELECT json_extract(m.call, '$.recording_url') FROM messages m
    WHERE m.conversation_id = conversations.id
      AND json_extract(m.call, '$.recording_url') IS NOT NULL
    ORDER BY m.id DESC LIMIT 1
);
