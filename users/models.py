from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A Langtool account: Django's user plus what a learner tells us about themselves."""

    email = models.EmailField("e-mail address", blank=True)
    display_name = models.CharField(max_length=80, blank=True)
    native_language = models.ForeignKey(
        "lookup.Language",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="native_speakers",
    )
    learning_languages = models.ManyToManyField(
        "lookup.Language",
        blank=True,
        related_name="learners",
        verbose_name="languages I am learning",
    )

    def __str__(self):
        return self.display_name or self.username
