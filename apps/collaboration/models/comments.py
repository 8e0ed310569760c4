"""Comments on any record (generic relation keyed like the live records: "<app_label>.<model>.<pk>").
The body is plain text (mentions as @handle); it is always escaped when shown. An edit keeps the
previous text as a revision; a deletion blanks the text and keeps the thread's shape."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Comment(models.Model):
    content_type = models.ForeignKey(ContentType, verbose_name=_("tipo de registro"), on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(_("registro"))
    record = GenericForeignKey("content_type", "object_id")
    parent = models.ForeignKey("self", verbose_name=_("responde a"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("autor"), on_delete=models.PROTECT,
                               related_name="+")
    body = models.TextField(_("comentario"))
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("menciones"), blank=True,
                                      related_name="+")
    attachments = models.ManyToManyField("documents.Document", verbose_name=_("adjuntos"), blank=True,
                                         related_name="comments",
                                         help_text=_("Documentos del registro subidos con el comentario."))
    created_at = models.DateTimeField(_("escrito"), auto_now_add=True)
    edited_at = models.DateTimeField(_("editado"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("eliminado"), null=True, blank=True)

    class Meta:
        verbose_name = _("comentario")
        verbose_name_plural = _("comentarios")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"], name="collab_comment_record_idx")]

    def __str__(self):
        return self.body[:60]


class CommentRevision(models.Model):
    """The text a comment had before an edit (its author's history)."""

    comment = models.ForeignKey(Comment, verbose_name=_("comentario"), on_delete=models.CASCADE,
                                related_name="revisions")
    body = models.TextField(_("texto anterior"))
    replaced_at = models.DateTimeField(_("sustituido"), auto_now_add=True)

    class Meta:
        verbose_name = _("versión anterior del comentario")
        verbose_name_plural = _("versiones anteriores de comentarios")
        ordering = ["comment", "-replaced_at", "-id"]
