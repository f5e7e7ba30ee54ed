from rest_framework.pagination import PageNumberPagination

from hmis_gov.listcache import with_cached_count


class Pagination(PageNumberPagination):
    """Page-number pagination; clients may ask for up to 500 rows a page.

    The ``count`` comes from the list-count cache (``hmis_gov.listcache``): the page's rows are
    always read live, the total only when a table it depends on has changed.
    """

    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        return super().paginate_queryset(with_cached_count(queryset), request, view)
