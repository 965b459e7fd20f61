/* SPDX-License-Identifier: ISC */
/*
 * ctlout.c: the writer of the reply bodies of the control socket, in
 * text or in JSON.  Only what the two forms need: strings (with JSON's
 * escapes), numbers, booleans and one level of lists of objects; no
 * general JSON library, and nothing is ever parsed back here.
 */
#include <event2/buffer.h>
#include <inttypes.h>

#include "ctlout.h"

static void
ctl_json_str(struct evbuffer *b, const char *s)
{
	evbuffer_add(b, "\"", 1);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			evbuffer_add_printf(b, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			evbuffer_add_printf(b, "\\u%04x", (unsigned char)*s);
		else
			evbuffer_add(b, s, 1);
	}
	evbuffer_add(b, "\"", 1);
}

void
ctl_out_open(struct ctl_out *o)
{
	if (o->json)
		evbuffer_add(o->b, "{", 1);
}

static void
ctl_out_key(struct ctl_out *o, const char *key)
{
	if (o->json) {
		evbuffer_add_printf(o->b, "%s\n%s", o->n > 0 ? "," : "",
		    o->depth > 0 ? "\t\t\t" : "\t");
		ctl_json_str(o->b, key);
		evbuffer_add(o->b, ": ", 2);
	} else
		evbuffer_add_printf(o->b, "%s%s ", o->depth > 0 ? "\t" : "",
		    key);
	o->n++;
}

/* A string value; NULL is JSON null, "none" in text. */
void
ctl_out_str(struct ctl_out *o, const char *key, const char *v)
{
	ctl_out_key(o, key);
	if (!o->json)
		evbuffer_add_printf(o->b, "%s\n", v != NULL ? v : "none");
	else if (v == NULL)
		evbuffer_add(o->b, "null", 4);
	else
		ctl_json_str(o->b, v);
}

void
ctl_out_num(struct ctl_out *o, const char *key, uint64_t v)
{
	ctl_out_key(o, key);
	evbuffer_add_printf(o->b, "%" PRIu64 "%s", v, o->json ? "" : "\n");
}

void
ctl_out_bool(struct ctl_out *o, const char *key, bool v)
{
	ctl_out_key(o, key);
	if (o->json)
		evbuffer_add_printf(o->b, "%s", v ? "true" : "false");
	else
		evbuffer_add_printf(o->b, "%s\n", v ? "yes" : "no");
}

void
ctl_out_close(struct ctl_out *o)
{
	if (o->json)
		evbuffer_add(o->b, "\n}\n", 3);
}

/* A list of objects as member key: a JSON array; nothing in text. */
void
ctl_out_list(struct ctl_out *o, const char *key)
{
	o->items = 0;
	if (!o->json)
		return;
	ctl_out_key(o, key);
	evbuffer_add(o->b, "[", 1);
}

/* Its next object, whose first member is key; textkey heads it in text. */
void
ctl_out_item(struct ctl_out *o, const char *textkey, const char *key,
    const char *value)
{
	if (o->json)
		evbuffer_add_printf(o->b, "%s\n\t\t{", o->items > 0 ?
		    "," : "");
	else
		evbuffer_add_printf(o->b, "%s %s\n", textkey, value);
	o->items++;
	o->outer = o->n;
	o->n = 0;
	o->depth = 1;
	if (o->json)
		ctl_out_str(o, key, value);
}

void
ctl_out_item_end(struct ctl_out *o)
{
	if (o->json)
		evbuffer_add(o->b, "\n\t\t}", 4);
	o->n = o->outer;
	o->depth = 0;
}

void
ctl_out_list_end(struct ctl_out *o)
{
	if (o->json)
		evbuffer_add(o->b, o->items > 0 ? "\n\t]" : "]",
		    o->items > 0 ? 3 : 1);
}
