// SPDX-License-Identifier: GPL-2.0
/*
 * binding.c - what each LIBCALL event arms (docs/binding.md): the classes a
 * library call may issue, narrowed by its constant arguments; and the raw
 * system calls of inline asm, which become events of their own and whose
 * syscall instructions are pinned in .lcg_sites under LCG_RAW_SITE_ID.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "formats/grow.h"
#include "pda/abi.h"
#include "pda/sensitive.h"

/* The C string constant @v points to, or NULL when it is not one. */
static const char *const_string(LLVMValueRef v)
{
	LLVMValueRef init;
	const char *s;
	size_t len = 0;

	if (!LLVMIsAGlobalVariable(v) || !LLVMIsGlobalConstant(v) || LLVMIsDeclaration(v))
		return NULL;
	init = LLVMGetInitializer(v);
	if (!init || !LLVMIsAConstantDataSequential(init) || !LLVMIsConstantString(init))
		return NULL;
	s = LLVMGetAsString(init, &len);
	return s && memchr(s, 0, len) ? s : NULL;
}

u32 libc_call_classes(const struct libc_fn *f, LLVMValueRef inst)
{
	LLVMValueRef arg;
	const char *str;

	if (!f->refine || f->refine_arg >= LLVMGetNumArgOperands(inst))
		return f->sc;
	arg = LLVMGetOperand(inst, f->refine_arg);
	if (f->refine == LR_FMODE) {
		str = const_string(arg);
		return str ? libc_refine_classes(f, 0, str) : f->sc;
	}
	if (!LLVMIsAConstantInt(arg))
		return f->sc;	/* known at run time only: every declared class */
	return libc_refine_classes(f, LLVMConstIntGetZExtValue(arg), NULL);
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '$';
}

/* Past a token of asm text: an identifier, a number, ${...} or $N (operand references). */
static size_t skip_token(const char *t, size_t len, size_t i)
{
	while (i < len) {
		if (t[i] == '$' && i + 1 < len && t[i + 1] == '{') {
			const char *close = memchr(t + i, '}', len - i);

			i = close ? (size_t)(close - t) + 1 : len;
		} else if (ident_char(t[i])) {
			i++;
		} else {
			break;
		}
	}
	return i;
}

/*
 * Past the statement that starts at @i: after its ';' or newline (a quoted
 * string or a # comment is kept whole).
 */
static size_t next_statement(const char *t, size_t len, size_t i)
{
	bool quoted = false;

	for (; i < len; i++) {
		if (quoted) {
			if (t[i] == '\\')
				i++;
			else if (t[i] == '"')
				quoted = false;
		} else if (t[i] == '"') {
			quoted = true;
		} else if (t[i] == '#') {
			const char *nl = memchr(t + i, '\n', len - i);

			return nl ? (size_t)(nl - t) + 1 : len;
		} else if (t[i] == '\n' || t[i] == ';') {
			return i + 1;
		}
	}
	return len;
}

/* Past blanks and C comments. */
static size_t skip_blanks(const char *t, size_t len, size_t i)
{
	while (i < len) {
		if (t[i] == ' ' || t[i] == '\t' || t[i] == '\r') {
			i++;
		} else if (i + 1 < len && t[i] == '/' && t[i + 1] == '*') {
			const char *end = memmem(t + i + 2, len - i - 2, "*/", 2);

			i = end ? (size_t)(end - t) + 2 : len;
		} else {
			break;
		}
	}
	return i;
}

bool next_syscall_insn(const char *t, size_t len, size_t *pos)
{
	for (size_t i = *pos; i < len; i = next_statement(t, len, i)) {
		size_t word, end;

		/* labels ("1:", ".Lx:", "name:") come before the mnemonic */
		for (;;) {
			word = skip_blanks(t, len, i);
			end = skip_token(t, len, word);
			if (end == word || end >= len || t[end] != ':')
				break;
			i = end + 1;
		}
		if (end - word == 7 && !strncasecmp(t + word, "syscall", 7) &&
		    (end == len || strchr(" \t\r\n;#", t[end]))) {
			*pos = word;
			return true;
		}
		i = word;
	}
	return false;
}

static u32 count_syscall_insns(const char *t, size_t len)
{
	u32 n = 0;

	for (size_t pos = 0; next_syscall_insn(t, len, &pos); pos += 7)
		n++;
	return n;
}

bool asm_has_syscall(LLVMValueRef asmv)
{
	size_t len = 0;
	const char *t = LLVMGetInlineAsmAsmString(asmv, &len);
	size_t pos = 0;

	return t && next_syscall_insn(t, len, &pos);
}

/* Does constraint code @c (without its = & * prefixes) name rax? */
static bool names_rax(const char *c, size_t n)
{
	static const char *const regs[] = { "a", "{ax}", "{eax}", "{rax}", "{al}", "{ah}" };

	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		if (strlen(regs[i]) == n && !strncasecmp(regs[i], c, n))
			return true;
	return false;
}

/* Is @word (rax, eax, ...) in @t as a whole word? */
static bool mentions_word(const char *t, size_t len, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = t; (p = memmem(p, len - (size_t)(p - t), word, n)); p += n) {
		bool starts = p == t || !ident_char(p[-1]);
		bool ends = (size_t)(p - t) + n == len || !ident_char(p[n]);

		if (starts && ends)
			return true;
	}
	return false;
}

/* Does @t refer to operand @k ($k or ${k:...}) or name an rax register itself? */
static bool writes_rax_maybe(const char *t, size_t len, const bool *rax_op, u32 n_ops)
{
	static const char *const names[] = { "rax", "eax", "ax", "al", "ah" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (mentions_word(t, len, names[i]))
			return true;
	for (size_t i = 0; i + 1 < len; i++) {
		const char *d;
		unsigned long k;
		char *end;

		if (t[i] != '$' || t[i + 1] == '$') {
			i += t[i] == '$';	/* "$$" is a literal dollar */
			continue;
		}
		d = t + i + 1 + (t[i + 1] == '{');
		if (!isdigit((unsigned char)*d))
			continue;
		k = strtoul(d, &end, 10);
		if (k < n_ops && rax_op[k])
			return true;
	}
	return false;
}

#define ASM_MAX_OPERANDS 64

/*
 * The constant bound to rax by an input operand of asm call @inst, in @nr;
 * false when rax is not bound to a constant, or the text may change it
 * before its one syscall instruction.
 */
static bool constant_rax(LLVMValueRef inst, LLVMValueRef asmv, u64 *nr)
{
	size_t clen = 0, tlen = 0, n;
	const char *c = LLVMGetInlineAsmConstraintString(asmv, &clen);
	const char *t = LLVMGetInlineAsmAsmString(asmv, &tlen);
	u32 n_ops = 0, arg = 0, n_args = LLVMGetNumArgOperands(inst);
	bool rax[ASM_MAX_OPERANDS] = { false };
	LLVMValueRef value = NULL;

	for (size_t i = 0; c && i < clen && n_ops < ASM_MAX_OPERANDS; i += n + 1) {
		const char *end = memchr(c + i, ',', clen - i);
		bool output = c[i] == '=', indirect = false;
		size_t j = i;
		char *num_end;
		unsigned long tied;

		n = end ? (size_t)(end - c) - i : clen - i;
		if (c[i] == '~')
			continue;	/* a clobber is no operand */
		for (; j < i + n && strchr("=&+*", c[j]); j++)
			indirect |= c[j] == '*';
		tied = strtoul(c + j, &num_end, 10);	/* "0": the register of operand 0 */
		if (num_end > c + j && num_end == c + i + n)
			rax[n_ops] = tied < n_ops && rax[tied];
		else
			rax[n_ops] = names_rax(c + j, i + n - j);
		if (!output || indirect) {	/* the call passes this operand */
			if (rax[n_ops] && !output && arg < n_args)
				value = LLVMGetOperand(inst, arg);
			arg++;
		}
		n_ops++;
	}
	if (!value || !LLVMIsAConstantInt(value) || count_syscall_insns(t, tlen) != 1 ||
	    writes_rax_maybe(t, tlen, rax, n_ops))
		return false;
	*nr = LLVMConstIntGetZExtValue(value);
	return true;
}

u32 raw_syscall_classes(LLVMValueRef inst, LLVMValueRef asmv)
{
	const struct lcg_syscall *sc;
	u64 nr;

	if (!constant_rax(inst, asmv, &nr))
		return LCG_SC_ALL;
	sc = lcg_syscall_find((u32)nr);	/* the kernel reads the low 32 bits */
	return sc ? LCG_SC_BIT(sc->cls) : 0;
}

struct text {
	char *s;
	size_t len, cap;
	bool oom;
};

static void put(struct text *o, const char *s, size_t n)
{
	if (o->oom || !lcg_grow((void **)&o->s, &o->cap, o->len + n + 1, 1, SIZE_MAX)) {
		o->oom = true;
		return;
	}
	memcpy(o->s + o->len, s, n);
	o->len += n;
	o->s[o->len] = 0;
}

static void put_str(struct text *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_u32(struct text *o, const char *fmt, u32 v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), fmt, v);
	put_str(o, buf);
}

/*
 * Give each syscall instruction of @t a label and an .lcg_sites entry.  The
 * labels are local (.L) and carry ${:uid}, which the asm printer makes
 * unique per emitted copy of the asm: a block codegen duplicates keeps
 * distinct labels, and the program's own numeric labels (1b, 1f) still
 * find theirs.
 */
static void pin_text(struct text *o, const char *t, size_t len)
{
	size_t pos = 0, done = 0;
	u32 n = 0;

	for (; next_syscall_insn(t, len, &pos); pos += 7, n++) {
		put(o, t + done, pos - done);
		put_u32(o, ".Llcg_raw${:uid}_%u: ", n);
		done = pos;
	}
	put(o, t + done, len - done);
	put_str(o, "\n\t.pushsection " LCG_SITES_SECTION ",\"aR\",@progbits");
	for (u32 k = 0; k < n; k++) {
		put_u32(o, "\n\t.long %u", LCG_RAW_SITE_ID);
		put_u32(o, "\n\t.long .Llcg_raw${:uid}_%u - .", k);
	}
	put_str(o, "\n\t.popsection");
}

int pin_raw_syscalls(struct analysis *an, LLVMValueRef inst)
{
	unsigned last = (unsigned)LLVMGetNumOperands(inst) - 1;	/* the callee */
	LLVMValueRef asmv = LLVMGetOperand(inst, last);
	size_t len = 0, clen = 0;
	const char *t = LLVMGetInlineAsmAsmString(asmv, &len);
	const char *c = LLVMGetInlineAsmConstraintString(asmv, &clen);
	struct text o = { 0 };
	LLVMValueRef pinned;

	pin_text(&o, t, len);
	if (o.oom) {
		free(o.s);
		an->oom = true;
		return -1;
	}
	/* side effects: nothing may move it away from its event, nor delete it */
	pinned = LLVMGetInlineAsm(LLVMGetInlineAsmFunctionType(asmv), o.s, o.len, c, clen, 1,
				  LLVMGetInlineAsmNeedsAlignedStack(asmv),
				  LLVMGetInlineAsmDialect(asmv), LLVMGetInlineAsmCanUnwind(asmv));
	LLVMSetOperand(inst, last, pinned);
	free(o.s);
	return 0;
}
